#version 430
// maxout_forward.comp — maxout over channel groups (Goodfellow et al. 2013), k pieces per output channel:
//   y[n, g, p] = max_{j < k} x[n, g*k + j, p]        g < C/k
// Grouping: output channel g takes k CONSECUTIVE input channels g*k .. g*k + k - 1 (a reshape of
// [N, C, S] to [N, C/k, k, S] followed by a max over the k axis).
// Bindings: 0 x[N,C,S] (read), 1 y[N,C/k,S] (write). S = everything after the channel axis (H*W).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int count;   // N * (C/k) * S, one invocation per output element
uniform int G, S;    // output channels C/k, spatial size
uniform int k;       // pieces per group

void main() {
    int o = int(linear_index());
    if (o >= count) return;
    int p = o % S;
    int ng = o / S;                       // n * G + g
    int first = ng * k * S + p;           // x[n, g*k, p]: (n*C + g*k)*S + p with C = G*k
    float best = x[first];
    for (int j = 1; j < k; j++) {
        float v = x[first + j * S];
        if (v > best) best = v;          // the same comparison maxout_backward.comp uses for its argmax
    }
    y[o] = best;
}

#version 430
// maxout_backward.comp — gradient of y[n,g,p] = max_{j<k} x[n, g*k + j, p] (maxout_forward.comp):
// the whole dy goes to the FIRST j that attains the max (ties: lowest channel), the other k-1 get 0:
//   dx[n, g*k + j, p] = beta * dx[n, g*k + j, p] + (j == argmax ? dy[n,g,p] : 0)
// The argmax is recomputed from x (same comparisons as the forward), so no index tensor is stored.
// Bindings: 0 x[N,C,S] (read), 1 dy[N,C/k,S] (read), 2 dx[N,C,S] (read-write).
// One invocation per output element writes its k input gradients. beta = 0 overwrites (NaN included), 1 accumulates.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int count;   // N * (C/k) * S
uniform int G, S;
uniform int k;
uniform float beta;

void main() {
    int o = int(linear_index());
    if (o >= count) return;
    int p = o % S;
    int ng = o / S;
    int first = ng * k * S + p;
    int argmax = 0;
    float best = x[first];
    for (int j = 1; j < k; j++) {
        float v = x[first + j * S];
        if (v > best) { best = v; argmax = j; }
    }
    float g = dy[o];
    for (int j = 0; j < k; j++) {
        int i = first + j * S;
        dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + (j == argmax ? g : 0.0);
    }
}

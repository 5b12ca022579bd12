#version 430
// softmax_forward.comp — softmax or log-softmax along one axis, numerically stable (max subtracted).
// The tensor is viewed as [outer, L, inner] (L = length of the axis; NCHW over channels: outer = N,
// L = C, inner = H*W); each invocation handles one row x[o, 0..L-1, i]:
//   m = max_l x[o,l,i],   s = sum_l exp(x[o,l,i] - m)
//   softmax:      y[o,l,i] = exp(x[o,l,i] - m) / s
//   log-softmax:  y[o,l,i] = (x[o,l,i] - m) - log(s)
// Bindings: 0 x[outer, L, inner] (read), 1 y[outer, L, inner] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int outer, L, inner;
uniform int logarithm;   // 1: log-softmax

void main() {
    int row = int(linear_index());
    if (row >= outer * inner) return;
    int o = row / inner;
    int base = o * L * inner + (row - o * inner);   // x[o, 0, i]; consecutive l are `inner` apart
    float m = x[base];
    for (int l = 1; l < L; l++) m = max(m, x[base + l * inner]);
    float s = 0.0;
    for (int l = 0; l < L; l++) s += exp(x[base + l * inner] - m);
    if (logarithm != 0) {
        float logS = log(s);
        for (int l = 0; l < L; l++) y[base + l * inner] = (x[base + l * inner] - m) - logS;
    } else {
        float invS = 1.0 / s;
        for (int l = 0; l < L; l++) y[base + l * inner] = exp(x[base + l * inner] - m) * invS;
    }
}

#version 430
// prelu_forward.comp — parametric ReLU with a learnable slope per channel (or one shared slope):
//   y[n,c,p] = x[n,c,p] > 0 ? x[n,c,p] : a[c] * x[n,c,p]      (a[0] for every c when slopeCount == 1)
// Bindings: 0 x[N,C,S] (read), 1 a[slopeCount] (read), 2 y[N,C,S] (write).
// S is the size of everything after the channel axis (H*W for NCHW); i = (n*C + c)*S + p.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Slope { float a[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

uniform int count;        // N * C * S
uniform int C, S;
uniform int slopeCount;   // C (per channel) or 1 (shared)

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int c = slopeCount == 1 ? 0 : (i / S) % C;
    float v = x[i];
    y[i] = v > 0.0 ? v : a[c] * v;
}

#version 430
// lrn_forward.comp — local response normalization across channels (ONNX LRN), x and y [N, C, S]:
//   d[n,c,p] = bias + alpha / size * sum_{c' = max(0, c - before)}^{min(C-1, c + after)} x[n,c',p]^2
//   y[n,c,p] = x[n,c,p] * d[n,c,p]^(-beta)
// with before = floor((size-1)/2), after = ceil((size-1)/2). d is saved for the backward pass.
// Bindings: 0 x (read), 1 y (write), 2 d (write, only when writeDenominator == 1).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
layout(std430, binding = 2) writeonly buffer Denominator { float d[]; };

uniform int C, S, count;
uniform int before, after, size;
uniform float alpha, beta, bias;
uniform int writeDenominator;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int c = (i / S) % C;
    int base = i - c * S;                        // element (n, 0, p)
    float sumSquares = 0.0;
    for (int k = max(0, c - before); k <= min(C - 1, c + after); k++) {
        float v = x[base + k * S];
        sumSquares += v * v;
    }
    float denominator = bias + alpha / float(size) * sumSquares;
    y[i] = x[i] * pow(denominator, -beta);
    if (writeDenominator != 0) d[i] = denominator;
}

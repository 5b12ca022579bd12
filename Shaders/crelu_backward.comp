#version 430
// crelu_backward.comp — gradient of y = concat(relu(x), relu(-x)) (crelu_forward.comp):
//   y[n,c,p] = max(x, 0)       contributes  dy[n, c, p]      where x > 0
//   y[n,C+c,p] = max(-x, 0)    contributes -dy[n, C + c, p]  where x < 0
//   dx[n,c,p] = beta * dx[n,c,p] + (x > 0 ? dy[n,c,p] : 0) - (x < 0 ? dy[n,C+c,p] : 0)
// Bindings: 0 x[N,C,S] (read), 1 dy[N,2C,S] (read), 2 dx[N,C,S] (read-write).
// beta = 0 overwrites dx (NaN included), 1 accumulates.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int count;   // N * C * S
uniform int C, S;
uniform float beta;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int p = i % S;
    int nc = i / S;
    int c = nc % C;
    int n = nc / C;
    float v = x[i];
    int positive = (n * 2 * C + c) * S + p;
    float gradient = v > 0.0 ? dy[positive] : (v < 0.0 ? -dy[positive + C * S] : 0.0);
    dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + gradient;
}

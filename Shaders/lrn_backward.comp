#version 430
// lrn_backward.comp — input gradient of LRN (gather form, no atomics), over [N, C, S].
// Forward: y[c] = x[c] * d[c]^(-beta),  d[c] = bias + alpha/size * sum_{c' in [c-before, c+after]} x[c']^2.
// x[j] enters y[j] directly and every d[c] whose window holds j, i.e. c in [j - after, j + before]:
//   dx[j] = dy[j] * d[j]^(-beta)
//         - 2 * alpha * beta / size * x[j] * sum_{c = max(0, j-after)}^{min(C-1, j+before)} dy[c] * y[c] / d[c]
// (from d/dx[j] of x[c] * d[c]^(-beta) = -beta * x[c] * d[c]^(-beta-1) * 2 alpha/size x[j] = -2 alpha beta/size * y[c]/d[c] * x[j]).
// dx = beta_acc * dx + (the above): accumulate = 1 adds, 0 overwrites.
// Bindings: 0 x (read), 1 y (read), 2 d (read), 3 dy (read), 4 dx (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Output { float y[]; };
layout(std430, binding = 2) readonly buffer Denominator { float d[]; };
layout(std430, binding = 3) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 4) buffer GradInput { float dx[]; };

uniform int C, S, count;
uniform int before, after, size;
uniform float alpha, beta;
uniform float accumulate;

void main() {
    int j = int(linear_index());
    if (j >= count) return;
    int c = (j / S) % C;
    int base = j - c * S;
    float windowSum = 0.0;
    for (int k = max(0, c - after); k <= min(C - 1, c + before); k++) {
        int o = base + k * S;
        windowSum += dy[o] * y[o] / d[o];
    }
    float value = dy[j] * pow(d[j], -beta) - 2.0 * alpha * beta / float(size) * x[j] * windowSum;
    dx[j] = (accumulate != 0.0 ? dx[j] : 0.0) + value;
}

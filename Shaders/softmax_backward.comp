#version 430
// softmax_backward.comp — gradient of softmax / log-softmax along one axis, from the saved output y.
// Rows as in softmax_forward.comp: [outer, L, inner], one invocation per row (o, i).
// Softmax:      y_l = exp(x_l) / sum_j exp(x_j)       =>  dx_l = y_l * (dy_l - sum_j dy_j * y_j)
// Log-softmax:  y_l = x_l - log(sum_j exp(x_j))       =>  dx_l = dy_l - exp(y_l) * sum_j dy_j
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
// Bindings: 0 y (read), 1 dy (read), 2 dx (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Output { float y[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int outer, L, inner;
uniform int logarithm;   // 1: log-softmax
uniform float beta;

void main() {
    int row = int(linear_index());
    if (row >= outer * inner) return;
    int o = row / inner;
    int base = o * L * inner + (row - o * inner);
    float dot = 0.0;   // softmax: sum_j dy_j * y_j;  log-softmax: sum_j dy_j
    for (int l = 0; l < L; l++) {
        int t = base + l * inner;
        dot += logarithm != 0 ? dy[t] : dy[t] * y[t];
    }
    for (int l = 0; l < L; l++) {
        int t = base + l * inner;
        float g = logarithm != 0 ? dy[t] - exp(y[t]) * dot : y[t] * (dy[t] - dot);
        dx[t] = (beta != 0.0 ? beta * dx[t] : 0.0) + g;
    }
}

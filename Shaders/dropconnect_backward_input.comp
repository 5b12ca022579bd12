#version 430
// dropconnect_backward_input.comp — input gradient of y[n, o] = b[o] + sum_i x[n, i] * W[o, i]:
//   dx[n, i] = beta * dx[n, i] + sum_o dy[n, o] * W[o, i]      (dx = dy W)
// with W the weight the forward pass used (masked and scaled in training). beta = 1 accumulates, 0 overwrites.
// Bindings: 0 dy[N, OUT] (read), 1 W[OUT, IN] (read), 2 dx[N, IN] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int N, IN, OUT;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= N * IN) return;
    int i = index % IN;
    int n = index / IN;
    float acc = 0.0;
    for (int o = 0; o < OUT; o++) acc += dy[n * OUT + o] * w[o * IN + i];
    dx[index] = (beta != 0.0 ? beta * dx[index] : 0.0) + acc;
}

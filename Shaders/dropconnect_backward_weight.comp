#version 430
// dropconnect_backward_weight.comp — weight gradient of y[n, o] = b[o] + sum_i x[n, i] * (W[o, i] * m[o, i] * scale):
//   dW[o, i] = beta * dW[o, i] + m[o, i] * scale * sum_n dy[n, o] * x[n, i]      (dW = (dy^T x) ∘ M / (1 - p))
// m[o, i] = keep(seed, o * IN + i) recomputed from the forward seed; in inference (masked == 0) m = scale = 1.
// beta = 1 accumulates (parameter gradients), 0 overwrites.
// Bindings: 0 x[N, IN] (read), 1 dy[N, OUT] (read), 2 dW[OUT, IN] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "dropout_mask.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) buffer GradWeight { float dw[]; };

uniform int N, IN, OUT;
uniform int masked;
uniform uint seed;
uniform float p, scale, beta;

void main() {
    int index = int(linear_index());
    if (index >= OUT * IN) return;
    int i = index % IN;
    int o = index / IN;
    float value = 0.0;
    if (masked == 0 || dropout_keep(seed, uint(index), p)) {
        float acc = 0.0;
        for (int n = 0; n < N; n++) acc += dy[n * OUT + o] * x[n * IN + i];
        value = masked != 0 ? acc * scale : acc;
    }
    dw[index] = (beta != 0.0 ? beta * dw[index] : 0.0) + value;
}

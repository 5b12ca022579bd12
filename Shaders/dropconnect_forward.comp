#version 430
// dropconnect_forward.comp — dense product of DropConnect's linear layer:
//   y[n, o] = b[o] + sum_i x[n, i] * W[o, i]        (y = x W^T + b)
// where W is the masked weight W ∘ M / (1 - p) in training and the plain weight in inference.
// A self-contained kernel until DropConnect moves onto the shared GEMM; one invocation per output.
// Bindings: 0 x[N, IN] (read), 1 W[OUT, IN] (read), 2 b[OUT] (read, ignored when hasBias == 0), 3 y[N, OUT] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };

uniform int N, IN, OUT;
uniform int hasBias;

void main() {
    int index = int(linear_index());
    if (index >= N * OUT) return;
    int o = index % OUT;
    int n = index / OUT;
    int xRow = n * IN, wRow = o * IN;
    float acc = 0.0;
    for (int i = 0; i < IN; i++) acc += x[xRow + i] * w[wRow + i];
    y[index] = acc + (hasBias != 0 ? b[o] : 0.0);
}

#version 430
// sum_partials.comp — pass 2 of split reductions: out[i] = beta * out[i] + sum_s partial[s * count + i].
// Bindings: 0 partial[splits, count] (read), 1 out[count] (read-write).
// beta = 1 accumulates into parameter gradients (optimizers zero them), 0 overwrites.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) buffer Result { float result[]; };

uniform int count, splits;
uniform float beta;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    float sum = 0.0;
    for (int s = 0; s < splits; s++) sum += partial[s * count + i];
    result[i] = (beta != 0.0 ? beta * result[i] : 0.0) + sum;
}

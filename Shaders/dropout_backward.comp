#version 430
// dropout_backward.comp — gradient of y[i] = keep(seed, i) ? x[i] * scale : 0 (dropout_forward.comp):
//   dx[i] = beta * dx[i] + (keep(seed, i) ? dy[i] * scale : 0)
// The mask is recomputed from the forward pass's seed, not stored. beta = 1 accumulates, 0 overwrites.
// Bindings: 0 dy[count] (read), 1 dx[count] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "dropout_mask.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) buffer GradInput { float dx[]; };

uniform int count;
uniform uint seed;
uniform float p, scale, beta;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    float g = dropout_keep(seed, i, p) ? dy[i] * scale : 0.0;
    dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + g;
}

#version 430
// dropout_forward.comp — inverted dropout in training, elementwise over a tensor of any shape:
//   y[i] = keep(seed, i) ? x[i] * scale : 0,   scale = 1 / (1 - p),   keep(seed, i) = uniform(seed, i) >= p
// (i = flat row-major index). Inference is the identity and never runs this kernel.
// Bindings: 0 x[count] (read), 1 y[count] (write; may be x itself: in place).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "dropout_mask.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int count;
uniform uint seed;
uniform float p, scale;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    y[i] = dropout_keep(seed, i, p) ? x[i] * scale : 0.0;
}

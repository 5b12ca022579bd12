#version 430
// activation_forward.comp — element-wise activation y[i] = f(x[i]) over a tensor of any shape.
// Bindings: 0 x[count] (read), 1 y[count] (write; may be the same buffer as x: in place).
// f is chosen by a define ACTIVATION_<KIND> and written out in activations.glsl; i is the flat
// (row-major, NCHW) element index, which also keys RRelu's slopes and NoisyRelu's noise.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "activations.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int count;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    y[i] = activation(x[i], i);
}

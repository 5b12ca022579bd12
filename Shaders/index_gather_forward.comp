#version 430
// index_gather_forward.comp — a data movement fixed ahead of time (transpose, slice, tile, gather with constant
// indices, broadcast): every output element copies one input element chosen by an index table.
// Bindings: 0 x (read), 1 index[count] (read, int: the input element of each output element, -1 for a zero),
//           2 y[count] (write).
// Maths: y[i] = index[i] >= 0 ? x[index[i]] : 0.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Index { int index[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

uniform int count;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int source = index[i];
    y[i] = source >= 0 ? x[source] : 0.0;
}

#version 430
// copy_rows.comp — strided block copy: `rows` rows of `rowLength` elements from one tensor into another, each
// side with its own row pitch and offset. Concat writes every input into its slab of the output this way and
// its backward reads the slabs back out.
// Bindings: 0 src (read), 1 dst (read-write).
// Maths: dst[r * dstRowLength + dstOffset + i] = beta * dst[...] + src[r * srcRowLength + srcOffset + i],
//        r in [0, rows), i in [0, rowLength). beta = 0 overwrites, 1 accumulates.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Source { float src[]; };
layout(std430, binding = 1) buffer Destination { float dst[]; };

uniform int rows, rowLength;
uniform int srcRowLength, srcOffset;
uniform int dstRowLength, dstOffset;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= rows * rowLength) return;
    int i = index % rowLength;
    int r = index / rowLength;
    int d = r * dstRowLength + dstOffset + i;
    dst[d] = (beta != 0.0 ? beta * dst[d] : 0.0) + src[r * srcRowLength + srcOffset + i];
}

#version 430
// axpy.comp — y = beta * y + alpha * x, elementwise over `count` floats.
// Bindings: 0 x[count] (read), 1 y[count] (read-write). beta = 0 overwrites y (copy/scale), 1 accumulates.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Source { float x[]; };
layout(std430, binding = 1) buffer Target { float y[]; };
uniform int count;
uniform float alpha, beta;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    y[i] = (beta != 0.0 ? beta * y[i] : 0.0) + alpha * x[i];
}

#version 430
// grad_norm_partials.comp — pass 1 of the global gradient norm (gradient clipping by norm):
//   partial[offset + s] = sum_{i in slice s} g[i]^2,  slice s = [s * slice_length, min((s+1) * slice_length, count))
// Dispatched once per gradient tensor, each at its own offset; grad_norm_scale.comp adds all partials.
// Bindings: 0 g[count] (read), 1 partial[] (write at offset .. offset + slices - 1).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Gradient { float g[]; };
layout(std430, binding = 1) writeonly buffer Partial { float partial[]; };

uniform int count, slice_length, slices, offset;

void main() {
    int s = int(linear_index());
    if (s >= slices) return;
    int i0 = s * slice_length;
    int i1 = min(i0 + slice_length, count);
    float sum = 0.0;
    for (int i = i0; i < i1; i++) sum += g[i] * g[i];
    partial[offset + s] = sum;
}

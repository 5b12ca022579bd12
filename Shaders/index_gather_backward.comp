#version 430
// index_gather_backward.comp — gradient of index_gather_forward.comp without atomics: the index table is
// inverted ahead of time (CSR), so every input element sums the output gradients that read it.
// Bindings: 0 dy (read), 1 offsets[inputCount + 1] (read, int), 2 readers[offsets[inputCount]] (read, int:
//           the output elements that read input j are readers[offsets[j] .. offsets[j+1])), 3 dx[inputCount] (read-write).
// Forward:  y[i] = x[index[i]]
// So:       dx[j] = beta * dx[j] + sum over i with index[i] = j of dy[i]   (0 for an input nothing reads).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Offsets { int offsets[]; };
layout(std430, binding = 2) readonly buffer Readers { int readers[]; };
layout(std430, binding = 3) buffer GradInput { float dx[]; };

uniform int inputCount;
uniform float beta;

void main() {
    int j = int(linear_index());
    if (j >= inputCount) return;
    float sum = 0.0;
    for (int k = offsets[j]; k < offsets[j + 1]; k++) sum += dy[readers[k]];
    dx[j] = (beta != 0.0 ? beta * dx[j] : 0.0) + sum;
}

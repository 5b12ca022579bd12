#version 430
// weightnorm_norms.comp — per output channel k of a direction tensor v [K, L] (L = C/groups*KH*KW or IN):
//   norm[k] = ||v_k|| = sqrt(sum_j v[k, j]^2)
// One invocation per row; weights are small, so the row loop is cheap.
// Bindings: 0 v[K, L] (read), 1 norm[K] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Direction { float v[]; };
layout(std430, binding = 1) writeonly buffer Norm { float norm[]; };

uniform int K, L;

void main() {
    int k = int(linear_index());
    if (k >= K) return;
    float sumSquares = 0.0;
    for (int j = 0; j < L; j++) {
        float value = v[k * L + j];
        sumSquares += value * value;
    }
    norm[k] = sqrt(sumSquares);
}

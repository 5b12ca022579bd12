#version 430
// augment_average_groups.comp — test-time augmentation: the mean over each group of K consecutive rows,
//   out[n, j] = (1 / K) * sum_{k < K} in[n * K + k, j]      (in [N*K, D], out [N, D])
// e.g. the class probabilities of 10 crops of every image averaged back to one row per image.
// Bindings: 0 in[N*K, D] (read), 1 out[N, D] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int N, K, D;

void main() {
    int index = int(linear_index());
    if (index >= N * D) return;
    int n = index / D, j = index % D;
    float sum = 0.0;
    for (int k = 0; k < K; k++) sum += x[(n * K + k) * D + j];
    y[index] = sum / float(K);
}

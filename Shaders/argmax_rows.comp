#version 430
// argmax_rows.comp — per-row arg-max of x[N,K] (the first index on ties) and, given labels,
// hit[n] = 1 when it equals labels[n] else 0 (summed afterwards into a correct-prediction count).
// Bindings: 0 x[N,K] (read), 1 labels int[N] (read when hasLabels == 1), 2 indices int[N] (write),
//           3 hit[N] (write when hasLabels == 1).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Scores { float x[]; };
layout(std430, binding = 1) readonly buffer Labels { int labels[]; };
layout(std430, binding = 2) writeonly buffer Indices { int indices[]; };
layout(std430, binding = 3) writeonly buffer Hits { float hit[]; };

uniform int N, K;
uniform int hasLabels;

void main() {
    int n = int(linear_index());
    if (n >= N) return;
    int row = n * K;
    int best = 0;
    float bestValue = x[row];
    for (int k = 1; k < K; k++) {
        float v = x[row + k];
        if (v > bestValue) { bestValue = v; best = k; }
    }
    indices[n] = best;
    if (hasLabels != 0) hit[n] = best == labels[n] ? 1.0 : 0.0;
}

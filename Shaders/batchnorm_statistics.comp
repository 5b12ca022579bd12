#version 430
// batchnorm_statistics.comp — pass 1 of the per-channel batch statistics, split over the M = N * S
// values of each channel (r = n * S + p, S = spatial size, 1 for [N, F]):
//   count_s = |slice s|,  mean_s[c] = (1/count_s) sum_{r in s} x[n,c,p],
//   m2_s[c] = sum_{r in s} (x[n,c,p] - mean_s[c])^2           (Welford's update, stable in float)
// batchnorm_statistics_merge.comp then merges the slices (Chan et al.) into mean and variance.
// Bindings: 0 x[N,C,S] (read), 1 partialMean[splits, C] (write), 2 partialM2[splits, C] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer PartialMean { float partialMean[]; };
layout(std430, binding = 2) writeonly buffer PartialM2 { float partialM2[]; };

uniform int N, C, S;
uniform int splits, chunk;

void main() {
    int index = int(linear_index());
    if (index >= C * splits) return;
    int c = index % C;
    int split = index / C;
    int r0 = split * chunk;
    int r1 = min(r0 + chunk, N * S);
    float mean = 0.0, m2 = 0.0;
    for (int r = r0; r < r1; r++) {
        int n = r / S;
        int p = r - n * S;
        float value = x[(n * C + c) * S + p];
        float delta = value - mean;
        mean += delta / float(r - r0 + 1);
        m2 += delta * (value - mean);
    }
    partialMean[split * C + c] = mean;
    partialM2[split * C + c] = m2;
}

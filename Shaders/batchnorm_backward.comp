#version 430
// batchnorm_backward.comp — input gradient of batch norm, elementwise over x[N, C, S].
// Training (batch statistics; forward y = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta, where
// mean and var depend on every x of the channel), with M = N * S:
//   dx = gamma[c] * inverseStd[c] * (dy - sumDy[c] / M - xhat * sumDyXhat[c] / M)
// Running statistics (forward y = gamma * (x - runningMean) * inverseStd + beta, an affine map):
//   dx = gamma[c] * inverseStd[c] * dy                         (batchStatistics == 0; sums unused)
// dx = beta * dx + (the above): beta = 1 accumulates, 0 overwrites.
// Bindings: 0 dy (read), 1 xhat (read), 2 inverseStd[C] (read), 3 gamma[C] (read),
//           4 sumDy[C] (read), 5 sumDyXhat[C] (read), 6 dx (read-write).
// Each invocation runs one chunk of up to 64 consecutive elements of one (n, c) plane (dispatch N * C * ceil(S / 64)):
// the channel's values are loaded once, and on llvmpipe an invocation per element cost several times more.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "channel_of.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Normalized { float xhat[]; };
layout(std430, binding = 2) readonly buffer InverseStd { float inverseStd[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer SumDy { float sumDy[]; };
layout(std430, binding = 5) readonly buffer SumDyXhat { float sumDyXhat[]; };
layout(std430, binding = 6) buffer GradInput { float dx[]; };

uniform int C, S, count;
uniform int batchStatistics;
uniform float beta;

void main() {
    int chunks = (S + 63) / 64;
    int job = int(linear_index());
    if (job >= (count / S) * chunks) return;
    int plane = quotient(job, chunks, 1.0 / float(chunks));
    int c = plane - quotient(plane, C, 1.0 / float(C)) * C;
    int begin = (job - plane * chunks) * 64;
    int end = min(S, begin + 64);
    float scale = gamma[c] * inverseStd[c];
    float m = float(count / C);
    float meanDy = batchStatistics != 0 ? sumDy[c] / m : 0.0, meanDyXhat = batchStatistics != 0 ? sumDyXhat[c] / m : 0.0;
    for (int i = plane * S + begin; i < plane * S + end; i++) {
        float g = dy[i];
        if (batchStatistics != 0) g = g - meanDy - xhat[i] * meanDyXhat;
        dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + scale * g;
    }
}

#version 430
// batchnorm_forward.comp — y = gamma[c] * xhat + beta[c],  xhat = (x[n,c,p] - mean[c]) * inverseStd[c],
// with the batch statistics (training) or the running ones (inference). x is [N, C, S] (S = H*W, L or 1).
// Bindings: 0 x (read), 1 mean[C] (read), 2 inverseStd[C] (read), 3 gamma[C] (read), 4 beta[C] (read),
//           5 y (write), 6 xhat (write, only when writeNormalized == 1: Backward's saved activations).
// Each invocation runs one chunk of up to 64 consecutive elements of one (n, c) plane (dispatch N * C * ceil(S / 64)):
// the channel's four values are loaded once, and on llvmpipe an invocation per element cost several times more.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "channel_of.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Mean { float mean[]; };
layout(std430, binding = 2) readonly buffer InverseStd { float inverseStd[]; };
layout(std430, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 4) readonly buffer Beta { float beta[]; };
layout(std430, binding = 5) writeonly buffer Output { float y[]; };
layout(std430, binding = 6) writeonly buffer Normalized { float xhat[]; };

uniform int C, S, count;
uniform int writeNormalized;

void main() {
    int chunks = (S + 63) / 64;
    int job = int(linear_index());
    if (job >= (count / S) * chunks) return;
    int plane = quotient(job, chunks, 1.0 / float(chunks));
    int c = plane - quotient(plane, C, 1.0 / float(C)) * C;
    int begin = (job - plane * chunks) * 64;
    int end = min(S, begin + 64);
    float m = mean[c], inv = inverseStd[c], g = gamma[c], b = beta[c];
    for (int i = plane * S + begin; i < plane * S + end; i++) {
        float normalized = (x[i] - m) * inv;
        y[i] = g * normalized + b;
        if (writeNormalized != 0) xhat[i] = normalized;
    }
}

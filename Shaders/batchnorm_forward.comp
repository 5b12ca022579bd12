#version 430
// batchnorm_forward.comp — y = gamma[c] * xhat + beta[c],  xhat = (x[n,c,p] - mean[c]) * inverseStd[c],
// with the batch statistics (training) or the running ones (inference). x is [N, C, S] (S = H*W, L or 1).
// Bindings: 0 x (read), 1 mean[C] (read), 2 inverseStd[C] (read), 3 gamma[C] (read), 4 beta[C] (read),
//           5 y (write), 6 xhat (write, only when writeNormalized == 1: Backward's saved activations).
layout(local_size_x = 64) in;
#include "common.glsl"
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
    int i = int(linear_index());
    if (i >= count) return;
    int c = (i / S) % C;
    float normalized = (x[i] - mean[c]) * inverseStd[c];
    y[i] = gamma[c] * normalized + beta[c];
    if (writeNormalized != 0) xhat[i] = normalized;
}

#version 430
// batchnorm_fold.comp — folds an inference BatchNorm (running statistics) into the convolution before it:
//   BN(conv(x, w) + b) = gamma * (conv(x, w) + b - mean) * s + beta,  s = 1 / sqrt(var + eps)
//                      = conv(x, w * gamma * s) + ((b - mean) * gamma * s + beta)
// so  w'[k, p] = w[k, p] * gamma[k] * s[k]   and   b'[k] = (b[k] - mean[k]) * gamma[k] * s[k] + beta[k].
// Weights are [K, P] (P = C/groups * KH * KW); one invocation per weight, the first of each row also writes b'.
// Bindings: 0 w[K,P] (read), 1 b[K] (read, ignored when hasBias == 0), 2 gamma[C], 3 beta[C], 4 mean[C], 5 var[C],
//           6 wFolded[K,P] (write), 7 bFolded[K] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Weight { float w[]; };
layout(std430, binding = 1) readonly buffer Bias { float b[]; };
layout(std430, binding = 2) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 3) readonly buffer Beta { float beta[]; };
layout(std430, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, binding = 5) readonly buffer Variance { float variance[]; };
layout(std430, binding = 6) writeonly buffer FoldedWeight { float wFolded[]; };
layout(std430, binding = 7) writeonly buffer FoldedBias { float bFolded[]; };

uniform int K, P, hasBias;
uniform float eps;

void main() {
    int i = int(linear_index());
    if (i >= K * P) return;
    int k = i / P;
    float scale = gamma[k] * (1.0 / sqrt(variance[k] + eps));   // the same 1/sqrt as batchnorm_inverse_std.comp
    wFolded[i] = w[i] * scale;
    if (i % P == 0) bFolded[k] = ((hasBias != 0 ? b[k] : 0.0) - mean[k]) * scale + beta[k];
}

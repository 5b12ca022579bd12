#version 430
// conv2d_pointwise_forward.comp — 1x1 convolution, stride 1, no padding, one group, as a GEMM per sample:
//   y[n, k, p] = b[k] + sum_c w[k, c] * x[n, c, p]        (p = pixel index over H*W)
// Bindings: 0 x[N,C,P] (read), 1 w[K,C] (read), 2 b[K] (read, ignored when hasBias == 0), 3 y[N,K,P] (write),
//           4 residual (EPILOGUE only; see conv_epilogue.glsl).
// Dispatch: (ceil(ceil(P / TN) / 64), ceil(K / TM), N) work groups. The TM output channels of a tile come from
// gl_WorkGroupID.y, so every weight index is the same across the group's invocations: llvmpipe then loads each weight
// once and broadcasts it instead of gathering it lane by lane, and only the input is a per-invocation load
// (TN adjacent pixels, one vec4 per 4 when X_VEC == 1). Each loaded input value feeds TM multiply-adds.
// No invocation returns early (that would make the weight loads non-uniform): tails clamp loads and skip stores.
#ifndef TM
#define TM 8
#endif
#ifndef TN
#define TN 4
#endif
#ifndef X_VEC
#define X_VEC 0
#endif
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 0) readonly buffer Input4 { vec4 x4[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
#include "conv_epilogue.glsl"

uniform int C, K, P;   // input channels, output channels, pixels per plane
uniform int hasBias;

void main() {
    int p0 = int(gl_GlobalInvocationID.x) * TN;      // first pixel of this invocation's tile
    int k0 = int(gl_WorkGroupID.y) * TM;             // first output channel: uniform across the work group
    int n = int(gl_WorkGroupID.z);
    int pLoad = min(p0, P - TN);                     // tail tiles reread valid pixels (P >= TN is required)
    int xBase = n * C * P + pLoad;

    float acc[TM][TN];
    for (int i = 0; i < TM; i++) for (int j = 0; j < TN; j++) acc[i][j] = 0.0;
    for (int c = 0; c < C; c++) {
        float xv[TN];
#if X_VEC
        for (int q = 0; q < TN / 4; q++) {
            vec4 v = x4[(xBase + c * P) / 4 + q];
            xv[4 * q] = v.x; xv[4 * q + 1] = v.y; xv[4 * q + 2] = v.z; xv[4 * q + 3] = v.w;
        }
#else
        for (int j = 0; j < TN; j++) xv[j] = x[xBase + c * P + j];
#endif
        for (int i = 0; i < TM; i++) {
            float wv = w[min(k0 + i, K - 1) * C + c];   // uniform index
            for (int j = 0; j < TN; j++) acc[i][j] = fma(wv, xv[j], acc[i][j]);
        }
    }

    int shift = p0 - pLoad;                          // > 0 only in the last, clamped tile
    for (int i = 0; i < TM; i++) {
        int k = k0 + i;
        if (k >= K) break;
        float bias = hasBias != 0 ? b[k] : 0.0;
        int outBase = (n * K + k) * P;
        for (int j = 0; j < TN; j++) {
            int p = pLoad + j;
            if (p >= p0 && p < P) y[outBase + p] = epilogue(acc[i][j] + bias, outBase + p);
        }
    }
}

#version 430
// matmul.comp — batched, strided, register-blocked matrix multiply (GEMM):
//   C[b,m,n] = alpha * sum_k A[b,m,k] * B[b,k,n] + beta * C[b,m,n] + bias[n]
// Operands are read through strides, so a transposed (or broadcast) operand is only other strides:
//   A[b,m,k] = a[b*aBatchStride + m*aRowStride + k*aColStride]   (aBatchStride 0 broadcasts A)
//   B[b,k,n] = b[b*bBatchStride + k*bRowStride + n*bColStride]
//   C[b,m,n] = c[b*cBatchStride + m*N + n]                          (C is dense row-major)
// Bindings: 0 a (read), 1 b (read), 2 bias[N] (read, ignored when hasBias == 0), 3 c (read-write).
// beta = 0 overwrites C (its old contents are never read), 1 accumulates (parameter gradients).
// Register blocking: each invocation computes a TM x TN tile of C, so every A value it loads
// feeds TN multiply-adds and every B value TM. On llvmpipe this, not shared-memory tiling, pays.
// Edge tiles clamp their load indices (recomputing the last row/column) and skip those stores.
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer MatrixA { float a[]; };
layout(std430, binding = 1) readonly buffer MatrixB { float b[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) buffer MatrixC { float c[]; };

uniform int batch, M, N, K;
uniform int aBatchStride, aRowStride, aColStride;
uniform int bBatchStride, bRowStride, bColStride;
uniform int cBatchStride;
uniform float alpha, beta;
uniform int hasBias;

void main() {
    int tilesN = (N + TN - 1) / TN;
    int tilesM = (M + TM - 1) / TM;
    int index = int(linear_index());
    if (index >= batch * tilesM * tilesN) return;
    int n0 = (index % tilesN) * TN;        // adjacent invocations walk along n: they share A rows
    int rest = index / tilesN;
    int m0 = (rest % tilesM) * TM;
    int bi = rest / tilesM;

    int aOffset[TM];
    for (int i = 0; i < TM; i++) aOffset[i] = bi * aBatchStride + min(m0 + i, M - 1) * aRowStride;
    int bOffset[TN];
    for (int j = 0; j < TN; j++) bOffset[j] = bi * bBatchStride + min(n0 + j, N - 1) * bColStride;

    float acc[TM][TN];
    for (int i = 0; i < TM; i++) for (int j = 0; j < TN; j++) acc[i][j] = 0.0;

    for (int k = 0; k < K; k++) {
        float av[TM];
        for (int i = 0; i < TM; i++) { av[i] = a[aOffset[i]]; aOffset[i] += aColStride; }
        float bv[TN];
        for (int j = 0; j < TN; j++) { bv[j] = b[bOffset[j]]; bOffset[j] += bRowStride; }
        for (int i = 0; i < TM; i++) for (int j = 0; j < TN; j++) acc[i][j] += av[i] * bv[j];
    }

    for (int i = 0; i < TM; i++) {
        int m = m0 + i;
        if (m >= M) break;
        int row = bi * cBatchStride + m * N;
        for (int j = 0; j < TN; j++) {
            int n = n0 + j;
            if (n >= N) break;
            float value = alpha * acc[i][j] + (hasBias != 0 ? bias[n] : 0.0);
            c[row + n] = (beta != 0.0 ? beta * c[row + n] : 0.0) + value;
        }
    }
}

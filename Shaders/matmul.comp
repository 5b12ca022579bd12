#version 430
// matmul.comp — batched, strided, register-blocked matrix multiply (GEMM):
//   C[b,m,n] = alpha * sum_k A[b,m,k] * B[b,k,n] + beta * C[b,m,n] + bias[n]   (bias[m] when biasPerRow = 1)
// Operands are read through strides, so a transposed (or broadcast) operand is only other strides:
//   A[b,m,k] = a[b*aBatchStride + m*aRowStride + k*aColStride]   (aBatchStride 0 broadcasts A)
//   B[b,k,n] = b[b*bBatchStride + k*bRowStride + n*bColStride]
//   C[b,m,n] = c[b*cBatchStride + m*N + n]                          (C is dense row-major)
// Bindings: 0 a (read), 1 b (read), 2 bias[N] (read, ignored when hasBias == 0), 3 c (read-write),
//           4 residual (EPILOGUE 1) or activation output (EPILOGUE 2), read, shaped like c; see conv_epilogue.glsl.
// beta = 0 overwrites C (its old contents are never read), 1 accumulates (parameter gradients).
//
// Register blocking: each invocation computes a TM x TN tile of C from KB-deep slices of A and B,
// so every A value it loads feeds TN multiply-adds and every B value TM. On llvmpipe this, not
// shared-memory tiling, pays; so do vec4 loads, chosen per operand by the host (Gemm.cs):
//   A_VEC 1: A contiguous along k (aColStride 1; K % 4 == 0)   — four k of one row per load
//   A_VEC 2: A contiguous along m (aRowStride 1; M % 4 == 0)   — four rows of one k per load
//   B_VEC 1: B contiguous along k (bRowStride 1; K % 4 == 0)   — four k of one column per load
//   B_VEC 2: B contiguous along n (bColStride 1; N % 4 == 0)   — four columns of one k per load
//   0: scalar loads with any strides. Vec4 modes also need 4-aligned row and batch strides.
// KB is 4 when either operand is loaded along k, or when the host says K % 4 == 0 (K4 1: operands loaded along m and n
// then take four k per loop trip too — a quarter of the loop overhead; measured 35 -> 50 GFLOP/s on 1x1 backward-input), else 1.
// Edge tiles clamp their load indices (rows/columns past the end reread valid data) and skip those stores.
// C_VEC 1 (host: N % 4 == 0 and cBatchStride % 4 == 0, so every 4 columns of a tile start 16-byte aligned and lie
// wholly inside or outside C): results are stored four at a time and a row's bias is loaded once — llvmpipe turns
// each scalar store into a per-lane scatter, which dominated GEMMs with a short reduction (K = 16..32).
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
#ifndef A_VEC
#define A_VEC 0
#endif
#ifndef B_VEC
#define B_VEC 0
#endif
#ifndef K4
#define K4 0
#endif
#if A_VEC == 1 || B_VEC == 1 || K4
#define KB 4
#else
#define KB 1
#endif
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer MatrixA { float a[]; };
layout(std430, binding = 1) readonly buffer MatrixB { float b[]; };
layout(std430, binding = 0) readonly buffer MatrixA4 { vec4 a4[]; };   // the same buffers, 16 bytes at a time
layout(std430, binding = 1) readonly buffer MatrixB4 { vec4 b4[]; };
#ifndef TEX_LOADS
#define TEX_LOADS 0
#endif
#if TEX_LOADS
// TEX_LOADS 1: the loads of both operands go through buffer textures on units 0 (A) and 1 (B) bound to the same
// buffers — RGBA32F for a vec4 operand, R32F for a scalar one (A_VEC/B_VEC 0); llvmpipe gathers texel fetches in
// vector code, about 3x cheaper than its per-lane SSBO loads.
uniform samplerBuffer aTex, bTex;
#define LOAD_A4(i) texelFetch(aTex, i)
#define LOAD_B4(i) texelFetch(bTex, i)
#define LOAD_A1(i) texelFetch(aTex, i).x
#define LOAD_B1(i) texelFetch(bTex, i).x
#else
#define LOAD_A4(i) a4[i]
#define LOAD_B4(i) b4[i]
#define LOAD_A1(i) a[i]
#define LOAD_B1(i) b[i]
#endif
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) buffer MatrixC { float c[]; };
layout(std430, binding = 3) buffer MatrixC4 { vec4 c4[]; };
#ifndef C_VEC
#define C_VEC 0
#endif
#include "conv_epilogue.glsl"

uniform int batch, M, N, K;
uniform int aBatchStride, aRowStride, aColStride;
uniform int bBatchStride, bRowStride, bColStride;
uniform int cBatchStride;
uniform float alpha, beta;
uniform int hasBias;
uniform int biasPerRow;   // 1: bias indexed by the row m (a 1x1 convolution's output channel)
uniform int sumBatch;     // 1: C[m,n] = alpha * sum_b sum_k A[b,m,k] B[b,k,n] + ... — one C, the batch is part of the reduction

int tileM0, tileN0, batchIndex;

// av[i][kk] = A[b, m0+i, k+kk]
void load_a(int k, out float av[TM][KB]) {
    int base = batchIndex * aBatchStride;
#if A_VEC == 1
    for (int i = 0; i < TM; i++) {
        vec4 v = LOAD_A4((base + min(tileM0 + i, M - 1) * aRowStride + k) / 4);
        av[i][0] = v.x; av[i][1] = v.y; av[i][2] = v.z; av[i][3] = v.w;
    }
#elif A_VEC == 2
    for (int kk = 0; kk < KB; kk++) {
        for (int q = 0; q < TM / 4; q++) {
            int m = tileM0 + 4 * q;
            vec4 v = LOAD_A4((base + (m < M ? m : M - 4) + (k + kk) * aColStride) / 4);
            av[4 * q][kk] = v.x; av[4 * q + 1][kk] = v.y; av[4 * q + 2][kk] = v.z; av[4 * q + 3][kk] = v.w;
        }
    }
#else
    for (int i = 0; i < TM; i++) {
        int row = base + min(tileM0 + i, M - 1) * aRowStride;
        for (int kk = 0; kk < KB; kk++) av[i][kk] = LOAD_A1(row + (k + kk) * aColStride);
    }
#endif
}

// bv[kk][j] = B[b, k+kk, n0+j]
void load_b(int k, out float bv[KB][TN]) {
    int base = batchIndex * bBatchStride;
#if B_VEC == 1
    for (int j = 0; j < TN; j++) {
        vec4 v = LOAD_B4((base + min(tileN0 + j, N - 1) * bColStride + k) / 4);
        bv[0][j] = v.x; bv[1][j] = v.y; bv[2][j] = v.z; bv[3][j] = v.w;
    }
#elif B_VEC == 2
    for (int kk = 0; kk < KB; kk++) {
        for (int q = 0; q < TN / 4; q++) {
            int n = tileN0 + 4 * q;
            vec4 v = LOAD_B4((base + (k + kk) * bRowStride + (n < N ? n : N - 4)) / 4);
            bv[kk][4 * q] = v.x; bv[kk][4 * q + 1] = v.y; bv[kk][4 * q + 2] = v.z; bv[kk][4 * q + 3] = v.w;
        }
    }
#else
    for (int j = 0; j < TN; j++) {
        int column = base + min(tileN0 + j, N - 1) * bColStride;
        for (int kk = 0; kk < KB; kk++) bv[kk][j] = LOAD_B1(column + (k + kk) * bRowStride);
    }
#endif
}

void main() {
    int tilesN = (N + TN - 1) / TN;
    int tilesM = (M + TM - 1) / TM;
    int index = int(linear_index());
    if (index >= (sumBatch != 0 ? 1 : batch) * tilesM * tilesN) return;
    tileN0 = (index % tilesN) * TN;        // adjacent invocations walk along n: they share A rows
    int rest = index / tilesN;
    tileM0 = (rest % tilesM) * TM;
    int outBatch = rest / tilesM;          // 0 when summing over the batch

    float acc[TM][TN];
    for (int i = 0; i < TM; i++) for (int j = 0; j < TN; j++) acc[i][j] = 0.0;

    int batchEnd = sumBatch != 0 ? batch : outBatch + 1;
    for (batchIndex = outBatch; batchIndex < batchEnd; batchIndex++) {
        for (int k = 0; k < K; k += KB) {      // KB == 4 only when K % 4 == 0
            float av[TM][KB];
            float bv[KB][TN];
            load_a(k, av);
            load_b(k, bv);
            for (int kk = 0; kk < KB; kk++)
                for (int i = 0; i < TM; i++)
                    for (int j = 0; j < TN; j++) acc[i][j] = fma(av[i][kk], bv[kk][j], acc[i][j]);
        }
    }
    batchIndex = outBatch;

#if C_VEC
    for (int i = 0; i < TM; i++) {
        int m = tileM0 + i;
        if (m >= M) break;
        int row = batchIndex * cBatchStride + m * N;
        float rowBias = hasBias != 0 && biasPerRow != 0 ? bias[m] : 0.0;
        for (int q = 0; q < TN / 4; q++) {
            int n = tileN0 + 4 * q;
            if (n >= N) break;
            vec4 kept = beta != 0.0 ? beta * c4[(row + n) / 4] : vec4(0.0);
            vec4 result;
            for (int jj = 0; jj < 4; jj++) {
                float value = alpha * acc[i][4 * q + jj] + (hasBias != 0 ? (biasPerRow != 0 ? rowBias : bias[n + jj]) : 0.0);
#if EPILOGUE == 2
                result[jj] = kept[jj] + epilogue(value, row + n + jj);
#else
                result[jj] = epilogue(kept[jj] + value, row + n + jj);
#endif
            }
            c4[(row + n) / 4] = result;
        }
    }
#else
    for (int i = 0; i < TM; i++) {
        int m = tileM0 + i;
        if (m >= M) break;
        int row = batchIndex * cBatchStride + m * N;
        for (int j = 0; j < TN; j++) {
            int n = tileN0 + j;
            if (n >= N) break;
            float value = alpha * acc[i][j] + (hasBias != 0 ? bias[biasPerRow != 0 ? m : n] : 0.0);
#if EPILOGUE == 2
            // The activation derivative masks only this product, not what beta keeps.
            c[row + n] = (beta != 0.0 ? beta * c[row + n] : 0.0) + epilogue(value, row + n);
#else
            c[row + n] = epilogue((beta != 0.0 ? beta * c[row + n] : 0.0) + value, row + n);
#endif
        }
    }
#endif
}

#version 430
// matmul_shared.comp — the GEMM of matmul.comp (same uniforms, bindings, strides, batch, sumBatch, bias, alpha/beta and
// conv_epilogue.glsl epilogues; see its header) tiled through shared memory, the layout that pays on hardware GPUs:
// a work group of 64 invocations computes a BM x BN = 64 x 64 block of C; per KT = 16 slice of the reduction the group
// loads A[block rows, slice] and B[slice, block columns] into shared memory once, cooperatively (consecutive invocations
// read consecutive elements), then every invocation accumulates its RM x RN = 8 x 8 sub-tile from shared memory.
// Out-of-range rows, columns and k read as 0; their results are not stored.
// llvmpipe gains nothing from it (its work groups run on one core and shared memory is plain memory), so Gemm.cs uses
// it where GpuContext.UseSharedMemoryGemm says so (hardware renderers by default); the tests run it on llvmpipe too.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer MatrixA { float a[]; };
layout(std430, binding = 1) readonly buffer MatrixB { float b[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) buffer MatrixC { float c[]; };
#include "conv_epilogue.glsl"

#define BM 64
#define BN 64
#define KT 16
#define RM 8
#define RN 8

uniform int batch, M, N, K;
uniform int aBatchStride, aRowStride, aColStride;
uniform int bBatchStride, bRowStride, bColStride;
uniform int cBatchStride;
uniform float alpha, beta;
uniform int hasBias;
uniform int biasPerRow;
uniform int sumBatch;

shared float tileA[KT][BM + 1];   // tileA[k][m]; the +1 column staggers the banks
shared float tileB[KT][BN + 1];   // tileB[k][n]

void main() {
    int local = int(gl_LocalInvocationID.x);
    int group = int(linear_index()) / 64;     // the whole group agrees, so its early return keeps barrier() uniform
    int groupsN = (N + BN - 1) / BN, groupsM = (M + BM - 1) / BM;
    if (group >= (sumBatch != 0 ? 1 : batch) * groupsM * groupsN) return;
    int n0 = (group % groupsN) * BN;
    int rest = group / groupsN;
    int m0 = (rest % groupsM) * BM;
    int outBatch = rest / groupsM;
    int tm = (local / (BN / RN)) * RM, tn = (local % (BN / RN)) * RN;   // this invocation's sub-tile in the block

    float acc[RM][RN];
    for (int i = 0; i < RM; i++) for (int j = 0; j < RN; j++) acc[i][j] = 0.0;

    int batchEnd = sumBatch != 0 ? batch : outBatch + 1;
    for (int bi = outBatch; bi < batchEnd; bi++) {
        int aBase = bi * aBatchStride, bBase = bi * bBatchStride;
        for (int k0 = 0; k0 < K; k0 += KT) {
            for (int e = local; e < KT * BM; e += 64) {
                int kk = e / BM, mm = e % BM;
                int m = m0 + mm, k = k0 + kk;
                tileA[kk][mm] = m < M && k < K ? a[aBase + m * aRowStride + k * aColStride] : 0.0;
            }
            for (int e = local; e < KT * BN; e += 64) {
                int kk = e / BN, nn = e % BN;
                int n = n0 + nn, k = k0 + kk;
                tileB[kk][nn] = n < N && k < K ? b[bBase + k * bRowStride + n * bColStride] : 0.0;
            }
            barrier();
            for (int kk = 0; kk < KT; kk++) {
                float av[RM], bv[RN];
                for (int i = 0; i < RM; i++) av[i] = tileA[kk][tm + i];
                for (int j = 0; j < RN; j++) bv[j] = tileB[kk][tn + j];
                for (int i = 0; i < RM; i++)
                    for (int j = 0; j < RN; j++) acc[i][j] = fma(av[i], bv[j], acc[i][j]);
            }
            barrier();
        }
    }

    for (int i = 0; i < RM; i++) {
        int m = m0 + tm + i;
        if (m >= M) break;
        int row = outBatch * cBatchStride + m * N;
        for (int j = 0; j < RN; j++) {
            int n = n0 + tn + j;
            if (n >= N) break;
            float value = alpha * acc[i][j] + (hasBias != 0 ? bias[biasPerRow != 0 ? m : n] : 0.0);
#if EPILOGUE == 2
            c[row + n] = (beta != 0.0 ? beta * c[row + n] : 0.0) + epilogue(value, row + n);
#else
            c[row + n] = epilogue((beta != 0.0 ? beta * c[row + n] : 0.0) + value, row + n);
#endif
        }
    }
}

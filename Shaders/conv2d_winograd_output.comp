#version 430
// conv2d_winograd_output.comp — Winograd F(2x2, 3x3) output transform, one invocation per (k, four consecutive tiles),
// so every product load is a vec4.
// Bindings: 0 m[16,K,T4] (read: the 16 GEMM products M[xi] = U[xi] V[xi]), 2 b[K] (read, ignored when hasBias == 0),
//           3 y[N,K,OH,OW] (write), 4 residual (EPILOGUE only; see conv_epilogue.glsl).
// Maths:  Y = A^T M A, A^T = [1 1 1 0; 0 1 -1 -1]; y[n, k, 2ty + i, 2tx + j] = epilogue(Y[i][j] + b[k]) for the
//         outputs inside OH x OW (odd sizes leave part of the last tile unused). Tiles as in conv2d_winograd_input.comp.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Products { vec4 m4[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
#include "conv_epilogue.glsl"
#ifndef TEX_LOADS
#define TEX_LOADS 0
#endif
#if TEX_LOADS
// RGBA32F buffer texture over m (GpuContext.UseTexelBufferLoads): a vector gather on llvmpipe.
uniform samplerBuffer mTex;
#define LOAD_M4(i) texelFetch(mTex, (i))
#else
#define LOAD_M4(i) m4[(i)]
#endif

uniform int N, K, OH, OW;
uniform int tilesH, tilesW, T4;
uniform int hasBias;

void main() {
    int tileCount = N * tilesH * tilesW;
    int index = int(linear_index());   // (k * T4 + t0) / 4
    if (index >= K * T4 / 4) return;
    int t0 = (index * 4) % T4;
    int k = (index * 4) / T4;
    int plane4 = K * T4 / 4;
    vec4 m[4][4];
    for (int r = 0; r < 4; r++) for (int s = 0; s < 4; s++) m[r][s] = LOAD_M4((r * 4 + s) * plane4 + index);
    // e = A^T m (2x4), Y = e A (2x2), four tiles at once (one per vector lane).
    vec4 e[2][4];
    for (int s = 0; s < 4; s++) {
        e[0][s] = m[0][s] + m[1][s] + m[2][s];
        e[1][s] = m[1][s] - m[2][s] - m[3][s];
    }
    vec4 Y[2][2];
    for (int i = 0; i < 2; i++) {
        Y[i][0] = e[i][0] + e[i][1] + e[i][2];
        Y[i][1] = e[i][1] - e[i][2] - e[i][3];
    }
    float bias = hasBias != 0 ? b[k] : 0.0;
    for (int lane = 0; lane < 4; lane++) {
        int t = t0 + lane;
        if (t >= tileCount) break;
        int tx = t % tilesW;
        int rest = t / tilesW;
        int ty = rest % tilesH;
        int n = rest / tilesH;
        for (int i = 0; i < 2; i++) {
            int oy = 2 * ty + i;
            if (oy >= OH) break;
            int row = ((n * K + k) * OH + oy) * OW;
            for (int j = 0; j < 2; j++) {
                int ox = 2 * tx + j;
                if (ox < OW) y[row + ox] = epilogue(Y[i][j][lane] + bias, row + ox);
            }
        }
    }
}

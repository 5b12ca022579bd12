#version 430
// conv_transpose2d_forward.comp — transposed 2-D convolution as a gather (no atomics), NCHW.
// Uniform names follow the Conv2d whose input gradient this op is (the same names as conv2d_*.comp):
// the transposed convolution reads x[N,K,OH,OW] and writes y[N,C,H,W]; its weight is [K, C/groups, KH, KW]
// (PyTorch/ONNX ConvTranspose layout: input channels first).
// Bindings: 0 x[N,K,OH,OW] (read), 1 w[K,C/groups,KH,KW] (read), 2 b[C] (read, ignored when hasBias == 0),
//           3 y[N,C,H,W] (write).
// Maths (scatter form): y[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] += x[n,k,oy,ox] * w[k, c - g*Cg, ky, kx]
// Gather form used here:
//   y[n,c,iy,ix] = b[c] + sum_{k in group(c), ky, kx} x[n,k,oy,ox] * w[k, c - g*Cg, ky, kx]
//   where oy = (iy + padT - ky*dH) / sH and ox = (ix + padL - kx*dW) / sW divide exactly and land in range.
// Register blocking: an invocation computes OCB channels (one group) x OXB columns of one row that share a
// stride phase, ix_j = px + (j0 + j) * sW, so they hit the same taps at consecutive ox: every loaded x feeds
// OCB FMAs and every weight OXB.
#define OCB 4
#define OXB 4
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };

uniform int N, C, H, W;          // output of the transposed convolution
uniform int K, OH, OW;           // its input
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform int groups;
uniform int hasBias;

void main() {
    int Cg = C / groups;                          // output channels per group
    int Kg = K / groups;                          // input channels per group
    int columnsPerPhase = (W + strideW - 1) / strideW;
    int blocksPerPhase = (columnsPerPhase + OXB - 1) / OXB;
    int tilesX = strideW * blocksPerPhase;
    int tilesPerGroup = (Cg + OCB - 1) / OCB;
    int tilesC = tilesPerGroup * groups;
    int index = int(linear_index());
    if (index >= N * tilesC * H * tilesX) return;
    int tileX = index % tilesX;
    int rest = index / tilesX;
    int iy = rest % H;   rest /= H;
    int tileC = rest % tilesC;
    int n = rest / tilesC;
    int px = tileX % strideW;                     // stride phase of the tile's columns
    int j0 = (tileX / strideW) * OXB;             // column j of the tile is ix = px + (j0 + j) * strideW
    int g = tileC / tilesPerGroup;
    int c0 = g * Cg + (tileC % tilesPerGroup) * OCB;
    int cEnd = min(c0 + OCB, (g + 1) * Cg);

    float acc[OCB][OXB];
    for (int i = 0; i < OCB; i++) for (int j = 0; j < OXB; j++) acc[i][j] = 0.0;

    // tx = ix + padL - kx*dW can be negative; shifting by a multiple of the stride keeps % and / exact.
    int shiftX = ((KW - 1) * dilationW / strideW + 1) * strideW;
    int kernelArea = KH * KW;
    for (int ky = 0; ky < KH; ky++) {
        int ty = iy + padTop - ky * dilationH;
        if (ty < 0 || ty % strideH != 0) continue;
        int oy = ty / strideH;
        if (oy >= OH) continue;
        for (int kx = 0; kx < KW; kx++) {
            int tx = px + padLeft - kx * dilationW + shiftX;
            if (tx % strideW != 0) continue;
            int ox0 = tx / strideW - shiftX / strideW + j0;   // ox of column j is ox0 + j
            int tap = ky * KW + kx;
            for (int kl = 0; kl < Kg; kl++) {
                int k = g * Kg + kl;
                int inRow = ((n * K + k) * OH + oy) * OW;
                float xv[OXB];
                for (int j = 0; j < OXB; j++) {
                    int ox = ox0 + j;
                    xv[j] = (ox >= 0 && ox < OW) ? x[inRow + ox] : 0.0;
                }
                int wBase = (k * Cg + (c0 - g * Cg)) * kernelArea + tap;
                for (int i = 0; i < OCB; i++) {
                    float wv = (c0 + i < cEnd) ? w[wBase + i * kernelArea] : 0.0;
                    for (int j = 0; j < OXB; j++) acc[i][j] += wv * xv[j];
                }
            }
        }
    }
    for (int i = 0; i < OCB; i++) {
        int c = c0 + i;
        if (c >= cEnd) break;
        float bias = hasBias != 0 ? b[c] : 0.0;
        int outRow = ((n * C + c) * H + iy) * W;
        for (int j = 0; j < OXB; j++) {
            int ix = px + (j0 + j) * strideW;
            if (ix < W) y[outRow + ix] = acc[i][j] + bias;
        }
    }
}

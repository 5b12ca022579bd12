#version 430
// conv2d_forward.comp — 2-D convolution (cross-correlation), NCHW, weights OIHW (I = C / groups).
// Bindings: 0 x[N,C,H,W] (read), 1 w[K,C/groups,KH,KW] (read), 2 b[K] (read, ignored when hasBias == 0),
//           3 y[N,K,OH,OW] (write), 4 residual[N,K,OH,OW] (read, EPILOGUE only; see conv_epilogue.glsl).
// Maths:  y[n,k,oy,ox] = b[k] + sum_{c in group(k), ky, kx} x[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW]
//                                                       * w[k, c - g*Cg, ky, kx]      (zero outside the image)
// Register blocking: each invocation computes a tile of OCB output channels (within one group)
// x OXB adjacent output columns for one (n, oy), so every loaded input value feeds OCB FMAs.
// Tile size; the host picks a variant per layer shape (depthwise: OCB 1, OXB 8). ROW3 (1 or 2), when defined, is a
// 3-wide kernel's stride with dilation 1: each input row segment is then loaded once for all three kernel columns.
#ifndef OCB
#define OCB 4
#endif
#ifndef OXB
#define OXB 4
#endif
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
#include "conv_epilogue.glsl"
#include "texel_loads.glsl"

uniform int N, C, H, W;          // input shape
uniform int K, OH, OW;           // output channels and size
uniform int KH, KW;              // kernel size
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;     // bottom/right padding only shapes OH/OW
uniform int groups;
uniform int hasBias;

void main() {
    int Cg = C / groups;                 // input channels per group
    int Kg = K / groups;                 // output channels per group
    int tilesX = (OW + OXB - 1) / OXB;
    int tilesPerGroup = (Kg + OCB - 1) / OCB;
    int tilesK = tilesPerGroup * groups;
    int index = int(linear_index());
    if (index >= N * tilesK * OH * tilesX) return;
    int ox0 = (index % tilesX) * OXB;
    int rest = index / tilesX;
    int oy = rest % OH;   rest /= OH;
    int tileK = rest % tilesK;
    int n = rest / tilesK;
    int g = tileK / tilesPerGroup;
    int k0 = g * Kg + (tileK % tilesPerGroup) * OCB;   // first output channel of the tile
    int kEnd = min(k0 + OCB, (g + 1) * Kg);            // tile stays inside group g

    float acc[OCB][OXB];
    for (int i = 0; i < OCB; i++) for (int j = 0; j < OXB; j++) acc[i][j] = 0.0;

    int kernelArea = KH * KW;
    for (int ic = 0; ic < Cg; ic++) {
        int inPlane = (n * C + g * Cg + ic) * H;
        for (int ky = 0; ky < KH; ky++) {
            int iy = oy * strideH - padTop + ky * dilationH;
            if (iy < 0 || iy >= H) continue;
            int inRow = (inPlane + iy) * W;
#ifdef ROW3
            // KW == 3, dilation 1, stride ROW3: load the tile's input row segment once (RW values), then every kernel
            // column reads its OXB inputs from it: RW loads per (ic, ky) instead of 3 * OXB.
            const int RW = (OXB - 1) * ROW3 + 3;
            float row[RW];
            int ix0 = ox0 * ROW3 - padLeft;
            for (int j = 0; j < RW; j++) {
                int ix = ix0 + j;
                row[j] = (ix >= 0 && ix < W) ? LOAD_X(inRow + ix) : 0.0;
            }
            for (int kx = 0; kx < 3; kx++) {
                int wIndex = ic * kernelArea + ky * 3 + kx;
                for (int i = 0; i < OCB; i++) {
                    int k = min(k0 + i, kEnd - 1);
                    float wv = LOAD_W(k * Cg * kernelArea + wIndex);
                    for (int j = 0; j < OXB; j++) acc[i][j] = fma(wv, row[j * ROW3 + kx], acc[i][j]);
                }
            }
#else
            for (int kx = 0; kx < KW; kx++) {
                float xv[OXB];
                for (int j = 0; j < OXB; j++) {
                    int ix = (ox0 + j) * strideW - padLeft + kx * dilationW;
                    xv[j] = (ix >= 0 && ix < W) ? LOAD_X(inRow + ix) : 0.0;
                }
                int wIndex = ic * kernelArea + ky * KW + kx;
                for (int i = 0; i < OCB; i++) {
                    int k = min(k0 + i, kEnd - 1);
                    float wv = LOAD_W(k * Cg * kernelArea + wIndex);
                    for (int j = 0; j < OXB; j++) acc[i][j] += wv * xv[j];
                }
            }
#endif
        }
    }
    for (int i = 0; i < OCB; i++) {
        int k = k0 + i;
        if (k >= kEnd) break;
        float bias = hasBias != 0 ? b[k] : 0.0;
        int outRow = ((n * K + k) * OH + oy) * OW;
        for (int j = 0; j < OXB; j++) {
            if (ox0 + j < OW) y[outRow + ox0 + j] = epilogue(acc[i][j] + bias, outRow + ox0 + j);
        }
    }
}

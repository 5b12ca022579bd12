#version 430
// conv2d_backward_weight.comp — pass 1 of the weight gradient: partial sums over a slice of the
// reduction rows (n, oy); sum_partials.comp adds the slices into dw. No float atomics.
// Bindings: 0 x[N,C,H,W] (read), 1 dy[N,K,OH,OW] (read), 2 partial[splits, K*Cg*KH*KW] (write).
// Forward:  y[n,k,oy,ox] = sum x[n, g*Cg+c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] * w[k,c,ky,kx]
// So:       dw[k,c,ky,kx] = sum_{n,oy,ox} dy[n,k,oy,ox] * x[n, g*Cg+c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW]
//           (the correlation of the input with the output gradient).
// Register blocking: one invocation owns KB output channels (inside one group) x KXB kernel columns
// of one (c, ky), for the rows r = n*OH + oy in [split*chunk, (split+1)*chunk): per output pixel it
// loads KB gradients and KXB inputs and does KB*KXB multiply-adds.
// KB and KXB come from the host (Conv2d.cs): KXB = the kernel width when it is at most 8, so no column of the tile idles.
#ifndef KB
#define KB 4
#endif
#ifndef KXB
#define KXB 8
#endif
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
#include "texel_loads.glsl"
// TEX_LOADS: x through R32F texel buffer xTex (texel_loads.glsl), dy through dyTex — llvmpipe gathers texel fetches.
#if TEX_LOADS
uniform samplerBuffer dyTex;
#define LOAD_DY(i) texelFetch(dyTex, (i)).x
#else
#define LOAD_DY(i) dy[(i)]
#endif

uniform int N, C, H, W;
uniform int K, OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform int groups;
uniform int splits, chunk;   // chunk = rows (n, oy) per split

void main() {
    int Cg = C / groups;
    int Kg = K / groups;
    int kBlocksPerGroup = (Kg + KB - 1) / KB;
    int kxBlocks = (KW + KXB - 1) / KXB;
    int tasks = groups * kBlocksPerGroup * Cg * KH * kxBlocks;   // invocations per split
    int index = int(linear_index());
    if (index >= tasks * splits) return;
    int task = index % tasks;
    int split = index / tasks;
    int kx0 = (task % kxBlocks) * KXB;   task /= kxBlocks;
    int ky = task % KH;                  task /= KH;
    int c = task % Cg;                   task /= Cg;
    int kBlock = task;                   // g * kBlocksPerGroup + block
    int g = kBlock / kBlocksPerGroup;
    int k0 = g * Kg + (kBlock % kBlocksPerGroup) * KB;
    int kEnd = min(k0 + KB, (g + 1) * Kg);
    int inChannel = g * Cg + c;

    float acc[KB][KXB];
    for (int i = 0; i < KB; i++) for (int j = 0; j < KXB; j++) acc[i][j] = 0.0;

    int rowEnd = min((split + 1) * chunk, N * OH);
    for (int row = split * chunk; row < rowEnd; row++) {
        int n = row / OH;
        int oy = row - n * OH;
        int iy = oy * strideH - padTop + ky * dilationH;
        if (iy < 0 || iy >= H) continue;
        int inRow = ((n * C + inChannel) * H + iy) * W;
        int gradRow[KB];
        for (int i = 0; i < KB; i++) gradRow[i] = ((n * K + min(k0 + i, kEnd - 1)) * OH + oy) * OW;
        for (int ox = 0; ox < OW; ox++) {
            float d[KB];
            for (int i = 0; i < KB; i++) d[i] = LOAD_DY(gradRow[i] + ox);
            int ixBase = ox * strideW - padLeft;
            for (int j = 0; j < KXB; j++) {
                int ix = ixBase + (kx0 + j) * dilationW;
                float xv = (kx0 + j < KW && ix >= 0 && ix < W) ? LOAD_X(inRow + ix) : 0.0;
                for (int i = 0; i < KB; i++) acc[i][j] += d[i] * xv;
            }
        }
    }
    int weightCount = K * Cg * KH * KW;
    for (int i = 0; i < KB; i++) {
        int k = k0 + i;
        if (k >= kEnd) break;
        int wRow = ((k * Cg + c) * KH + ky) * KW;
        for (int j = 0; j < KXB; j++) {
            if (kx0 + j < KW) partial[split * weightCount + wRow + kx0 + j] = acc[i][j];
        }
    }
}

#version 430
// conv2d_depthwise3x3_backward_weight.comp — pass 1 of the depthwise 3x3 weight gradient (groups = C = K, stride
// STRIDE (1 or 2) on both axes, dilation 1, any zero padding): partial sums over a slice of the rows (n, oy);
// sum_partials.comp adds the slices into dw. No float atomics.
// Bindings: 0 x[N,C,H,W] (read; texel buffer xTex under TEX_LOADS), 1 dy[N,C,OH,OW] (read; dyTex), 2 partial[splits, C*9] (write).
// Forward:  y[n,c,oy,ox] = sum_{ky,kx} x[n, c, oy*S - padTop + ky, ox*S - padLeft + kx] * w[c, ky, kx]
// So:       dw[c,ky,kx] = sum_{n,oy,ox} dy[n,c,oy,ox] * x[n, c, oy*S - padTop + ky, ox*S - padLeft + kx]
// One invocation owns all 9 taps of one channel for rows r = n*OH + oy in [split*chunk, (split+1)*chunk): per block
// of OXB output columns and row it loads OXB gradients and STRIDE new input row segments of IW values (the rows under
// the kernel roll down the block), then does 9 * OXB multiply-adds.
#ifndef STRIDE
#define STRIDE 1
#endif
#define OXB 8
#define IW ((OXB - 1) * STRIDE + 3)
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
#include "texel_loads.glsl"
#if TEX_LOADS
uniform samplerBuffer dyTex;
#define LOAD_DY(i) texelFetch(dyTex, (i)).x
#else
#define LOAD_DY(i) dy[(i)]
#endif

uniform int N, C, H, W;
uniform int OH, OW;
uniform int padTop, padLeft;
uniform int splits, chunk;   // chunk = rows (n, oy) per split

// The input row segment [ix0, ix0 + IW) of row iy of a plane, zeros outside the image.
void load_row(out float xs[IW], int plane, int iy, int ix0, bool inside) {
    if (iy < 0 || iy >= H) {
        for (int j = 0; j < IW; j++) xs[j] = 0.0;
        return;
    }
    int rowBase = (plane * H + iy) * W + ix0;
    if (inside) {
        for (int j = 0; j < IW; j++) xs[j] = LOAD_X(rowBase + j);
    } else {
        for (int j = 0; j < IW; j++) {
            int ix = ix0 + j;
            xs[j] = ix >= 0 && ix < W ? LOAD_X(rowBase + j) : 0.0;
        }
    }
}

// Column blocks outermost; down a block the three input rows under the kernel roll — consecutive output rows of a
// plane share 3 - STRIDE of them, so each input row is loaded once (stride 1) instead of three times (measured on
// llvmpipe against loading all three per output row: [16,960,7,7] 12.8 -> 5.1 ms, [16,576,14,14] 17.2 -> 9.7 ms).
void main() {
    int index = int(linear_index());
    if (index >= C * splits) return;
    int c = index % C;
    int split = index / C;

    float acc[9];
    for (int t = 0; t < 9; t++) acc[t] = 0.0;
    int rowEnd = min((split + 1) * chunk, N * OH);
    for (int ox0 = 0; ox0 < OW; ox0 += OXB) {
        int ix0 = ox0 * STRIDE - padLeft;
        bool inside = ix0 >= 0 && ix0 + IW <= W;
        float r0[IW], r1[IW], r2[IW];
        int previousPlane = -1, previousTop = 0;
        for (int row = split * chunk; row < rowEnd; row++) {
            int n = row / OH;
            int oy = row - n * OH;
            int plane = n * C + c;
            int iyTop = oy * STRIDE - padTop;
            if (plane == previousPlane && iyTop == previousTop + STRIDE) {
#if STRIDE == 1
                r0 = r1; r1 = r2;
                load_row(r2, plane, iyTop + 2, ix0, inside);
#else
                r0 = r2;
                load_row(r1, plane, iyTop + 1, ix0, inside);
                load_row(r2, plane, iyTop + 2, ix0, inside);
#endif
            } else {
                load_row(r0, plane, iyTop, ix0, inside);
                load_row(r1, plane, iyTop + 1, ix0, inside);
                load_row(r2, plane, iyTop + 2, ix0, inside);
            }
            previousPlane = plane;
            previousTop = iyTop;
            int gradRow = (plane * OH + oy) * OW;
            for (int j = 0; j < OXB; j++) {
                float d = ox0 + j < OW ? LOAD_DY(gradRow + ox0 + j) : 0.0;
                acc[0] += d * r0[j * STRIDE]; acc[1] += d * r0[j * STRIDE + 1]; acc[2] += d * r0[j * STRIDE + 2];
                acc[3] += d * r1[j * STRIDE]; acc[4] += d * r1[j * STRIDE + 1]; acc[5] += d * r1[j * STRIDE + 2];
                acc[6] += d * r2[j * STRIDE]; acc[7] += d * r2[j * STRIDE + 1]; acc[8] += d * r2[j * STRIDE + 2];
            }
        }
    }
    for (int t = 0; t < 9; t++) partial[split * C * 9 + c * 9 + t] = acc[t];
}

#version 430
// conv2d_depthwise3x3_backward_weight.comp — pass 1 of the depthwise 3x3 weight gradient (groups = C = K, stride
// STRIDE (1 or 2) on both axes, dilation 1, any zero padding): partial sums over a slice of the rows (n, oy);
// sum_partials.comp adds the slices into dw. No float atomics.
// Bindings: 0 x[N,C,H,W] (read; texel buffer xTex under TEX_LOADS), 1 dy[N,C,OH,OW] (read; dyTex), 2 partial[splits, C*9] (write).
// Forward:  y[n,c,oy,ox] = sum_{ky,kx} x[n, c, oy*S - padTop + ky, ox*S - padLeft + kx] * w[c, ky, kx]
// So:       dw[c,ky,kx] = sum_{n,oy,ox} dy[n,c,oy,ox] * x[n, c, oy*S - padTop + ky, ox*S - padLeft + kx]
// One invocation owns all 9 taps of one channel for rows r = n*OH + oy in [split*chunk, (split+1)*chunk): per row
// and block of OXB output columns it loads OXB gradients and 3 input row segments of IW values once, then does
// 9 * OXB multiply-adds.
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

void main() {
    int index = int(linear_index());
    if (index >= C * splits) return;
    int c = index % C;
    int split = index / C;

    float acc[9];
    for (int t = 0; t < 9; t++) acc[t] = 0.0;
    int rowEnd = min((split + 1) * chunk, N * OH);
    for (int row = split * chunk; row < rowEnd; row++) {
        int n = row / OH;
        int oy = row - n * OH;
        int plane = n * C + c;
        int gradRow = (plane * OH + oy) * OW;
        int iyTop = oy * STRIDE - padTop;
        for (int ox0 = 0; ox0 < OW; ox0 += OXB) {
            float d[OXB];
            for (int j = 0; j < OXB; j++) d[j] = ox0 + j < OW ? LOAD_DY(gradRow + ox0 + j) : 0.0;
            int ix0 = ox0 * STRIDE - padLeft;
            bool inside = ix0 >= 0 && ix0 + IW <= W;
            for (int ky = 0; ky < 3; ky++) {
                int iy = iyTop + ky;
                if (iy < 0 || iy >= H) continue;
                int rowBase = (plane * H + iy) * W + ix0;
                float xs[IW];
                if (inside) {
                    for (int j = 0; j < IW; j++) xs[j] = LOAD_X(rowBase + j);
                } else {
                    for (int j = 0; j < IW; j++) {
                        int ix = ix0 + j;
                        xs[j] = ix >= 0 && ix < W ? LOAD_X(rowBase + j) : 0.0;
                    }
                }
                for (int j = 0; j < OXB; j++) {
                    acc[ky * 3] += d[j] * xs[j * STRIDE];
                    acc[ky * 3 + 1] += d[j] * xs[j * STRIDE + 1];
                    acc[ky * 3 + 2] += d[j] * xs[j * STRIDE + 2];
                }
            }
        }
    }
    for (int t = 0; t < 9; t++) partial[split * C * 9 + c * 9 + t] = acc[t];
}

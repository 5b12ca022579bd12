#version 430
// conv2d_depthwise3x3_backward_input.comp — input gradient of the depthwise 3x3 convolution with stride 2 on both
// axes (groups = C = K), dilation 1, any per-side zero padding; NCHW, weights [C,1,3,3].
// Bindings: 0 dy[N,C,OH,OW] (read; R32F texel buffer xTex under TEX_LOADS), 1 w[C,1,3,3] (read), 2 dx[N,C,H,W] (read-write),
//           4 activation output a[N,C,H,W] (read, EPILOGUE 2 only: the fused activation derivative, conv_epilogue.glsl).
// Forward:  y[n,c,oy,ox] = sum_{ky,kx < 3} x[n, c, 2*oy - padTop + ky, 2*ox - padLeft + kx] * w[c, ky, kx]
// So, in padded coordinates u = iy + padTop, v = ix + padLeft:
//           dx[n,c,iy,ix] = sum over (ky, kx) with u - ky and v - kx even of dy[n,c,(u-ky)/2,(v-kx)/2] * w[c,ky,kx]
// An invocation owns the 2 x 16 padded positions u0 = 2*oy0 (+0, +1), v0 = 2*ox0 + (0..15) of one plane, so each
// position's taps are fixed at compile time (no integer division per tap, which llvmpipe runs lane by lane):
//   even u: ky in {0 -> dy row oy0, 2 -> dy row oy0-1};  odd u: ky = 1 -> dy row oy0
//   even v = v0+2j: kx in {0 -> dy column ox0+j, 2 -> ox0+j-1};  odd v: kx = 1 -> ox0+j
// It loads two dy rows of OXB + 1 values (columns ox0-1 .. ox0+OXB-1, zero outside the output).
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
#define OXB 8
layout(local_size_x = 64) in;
#include "common.glsl"
#include "conv_epilogue.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float x[]; };   // named x for texel_loads.glsl: this is dy
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };
#include "texel_loads.glsl"

uniform int N, C, H, W;      // input shape (K = C)
uniform int OH, OW;
uniform int padTop, padLeft;
uniform float beta;

void main() {
    int tilesX = (W + padLeft + 2 * OXB - 1) / (2 * OXB);
    int tilesY = (H + padTop + 1) / 2;
    int index = int(linear_index());
    if (index >= N * C * tilesY * tilesX) return;
    int ox0 = (index % tilesX) * OXB;
    int rest = index / tilesX;
    int oy0 = rest % tilesY;
    int plane = rest / tilesY;           // n * C + c
    int c = plane % C;

    float wv[9];
    for (int t = 0; t < 9; t++) wv[t] = w[c * 9 + t];
    // d[r][j]: dy row oy0 - 1 + r, column ox0 - 1 + j (zero outside [0,OH) x [0,OW)).
    float d[2][OXB + 1];
    for (int r = 0; r < 2; r++) {
        int oy = oy0 - 1 + r;
        bool rowInside = oy >= 0 && oy < OH;
        int rowBase = (plane * OH + oy) * OW + ox0 - 1;
        for (int j = 0; j <= OXB; j++) {
            int ox = ox0 - 1 + j;
            d[r][j] = rowInside && ox >= 0 && ox < OW ? LOAD_X(rowBase + j) : 0.0;
        }
    }
    // even u: ky 0 reads d[1] (row oy0), ky 2 reads d[0] (row oy0-1); odd u: ky 1 reads d[1].
    float even[2 * OXB], odd[2 * OXB];
    for (int j = 0; j < OXB; j++) {
        // even v: kx 0 -> column ox0+j (d index j+1), kx 2 -> ox0+j-1 (index j); odd v: kx 1 -> index j+1.
        even[2 * j] = wv[0] * d[1][j + 1] + wv[2] * d[1][j] + wv[6] * d[0][j + 1] + wv[8] * d[0][j];
        even[2 * j + 1] = wv[1] * d[1][j + 1] + wv[7] * d[0][j + 1];
        odd[2 * j] = wv[3] * d[1][j + 1] + wv[5] * d[1][j];
        odd[2 * j + 1] = wv[4] * d[1][j + 1];
    }
    int ix0 = 2 * ox0 - padLeft;
    for (int i = 0; i < 2; i++) {
        int iy = 2 * oy0 + i - padTop;
        if (iy < 0 || iy >= H) continue;
        int outRow = (plane * H + iy) * W;
        for (int j = 0; j < 2 * OXB; j++) {
            int ix = ix0 + j;
            if (ix < 0 || ix >= W) continue;
            float value = i == 0 ? even[j] : odd[j];
            dx[outRow + ix] = (beta != 0.0 ? beta * dx[outRow + ix] : 0.0) + epilogue(value, outRow + ix);
        }
    }
}

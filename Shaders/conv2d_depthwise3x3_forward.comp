#version 430
// conv2d_depthwise3x3_forward.comp — depthwise 3x3 convolution (groups = C = K, one output channel per input
// channel), stride STRIDE (1 or 2) on both axes, dilation 1, any per-side zero padding; NCHW, weights [C,1,3,3].
// Bindings: 0 x[N,C,H,W] (read), 1 w[C,1,3,3] (read), 2 b[C] (read, ignored when hasBias == 0),
//           3 y[N,C,OH,OW] (write), 4 residual (EPILOGUE only; see conv_epilogue.glsl).
// Maths:  y[n,c,oy,ox] = b[c] + sum_{ky,kx < 3} x[n, c, oy*S - padTop + ky, ox*S - padLeft + kx] * w[c, 0, ky, kx]
//                                                                                    (zero outside the image)
// Register blocking: an invocation computes OYB rows x OXB adjacent columns of one (n, c) plane. It loads each of
// the IH = (OYB-1)*S + 3 input rows it needs once (IW = (OXB-1)*S + 3 values) and feeds every output row that the
// 3 kernel rows place over it, so a load serves up to 3 * 3 / S multiply-adds instead of the generic kernel's one.
// Tiles wholly inside the image skip the per-column bounds tests.
// VEC_STORE (host: OW % 4 == 0, so every row and every tile's 4-column group starts 16-byte aligned): the results
// are stored four at a time; llvmpipe turns each scalar store into a per-lane scatter.
#ifndef STRIDE
#define STRIDE 1
#endif
#ifndef OXB
#define OXB 8
#endif
#ifndef OYB
#define OYB 2
#endif
#define IW ((OXB - 1) * STRIDE + 3)
#define IH ((OYB - 1) * STRIDE + 3)
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float b[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };
layout(std430, binding = 3) writeonly buffer Output4 { vec4 y4[]; };
#include "conv_epilogue.glsl"
#include "texel_loads.glsl"

uniform int N, C, H, W;      // input shape (K = C)
uniform int OH, OW;          // output size
uniform int padTop, padLeft; // bottom/right padding only shapes OH/OW
uniform int hasBias;

void main() {
    int tilesX = (OW + OXB - 1) / OXB;
    int tilesY = (OH + OYB - 1) / OYB;
    int index = int(linear_index());
    if (index >= N * C * tilesY * tilesX) return;
    int ox0 = (index % tilesX) * OXB;
    int rest = index / tilesX;
    int oy0 = (rest % tilesY) * OYB;
    int plane = rest / tilesY;           // n * C + c
    int c = plane % C;

    float wv[9];
    for (int t = 0; t < 9; t++) wv[t] = w[c * 9 + t];
    float acc[OYB][OXB];
    for (int i = 0; i < OYB; i++) for (int j = 0; j < OXB; j++) acc[i][j] = 0.0;

    int iy0 = oy0 * STRIDE - padTop;
    int ix0 = ox0 * STRIDE - padLeft;
    bool inside = ix0 >= 0 && ix0 + IW <= W;
    int planeBase = plane * H * W;
    for (int r = 0; r < IH; r++) {
        int iy = iy0 + r;
        if (iy < 0 || iy >= H) continue;  // a zero row adds nothing
        int rowBase = planeBase + iy * W + ix0;
        float row[IW];
        if (inside) {
            for (int j = 0; j < IW; j++) row[j] = LOAD_X(rowBase + j);
        } else {
            for (int j = 0; j < IW; j++) {
                int ix = ix0 + j;
                row[j] = (ix >= 0 && ix < W) ? LOAD_X(rowBase + j) : 0.0;
            }
        }
        // Input row r lies under kernel row ky = r - i*S of output row i.
        for (int i = 0; i < OYB; i++) {
            int ky = r - i * STRIDE;
            if (ky < 0 || ky > 2) continue;
            float w0 = wv[ky * 3], w1 = wv[ky * 3 + 1], w2 = wv[ky * 3 + 2];
            for (int j = 0; j < OXB; j++)
                acc[i][j] += w0 * row[j * STRIDE] + w1 * row[j * STRIDE + 1] + w2 * row[j * STRIDE + 2];
        }
    }

    float bias = hasBias != 0 ? b[c] : 0.0;
    for (int i = 0; i < OYB; i++) {
        int oy = oy0 + i;
        if (oy >= OH) break;
        int outRow = (plane * OH + oy) * OW;
#ifdef VEC_STORE
        for (int q = 0; q < OXB / 4; q++) {
            int o = outRow + ox0 + 4 * q;
            if (ox0 + 4 * q >= OW) break;
            y4[o / 4] = vec4(epilogue(acc[i][4 * q] + bias, o), epilogue(acc[i][4 * q + 1] + bias, o + 1),
                             epilogue(acc[i][4 * q + 2] + bias, o + 2), epilogue(acc[i][4 * q + 3] + bias, o + 3));
        }
#else
        for (int j = 0; j < OXB; j++)
            if (ox0 + j < OW) y[outRow + ox0 + j] = epilogue(acc[i][j] + bias, outRow + ox0 + j);
#endif
    }
}

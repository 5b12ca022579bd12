#version 430
// maxpool2d_forward.comp — 2-D max pooling, NCHW, one invocation per output element.
// Bindings: 0 x[N,C,H,W] (read), 1 y[N,C,OH,OW] (write), 2 argmax[N,C,OH,OW] int (write, only when writeArgmax != 0).
// Maths:  y[n,c,oy,ox] = max_{ky,kx} x[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] over taps inside the image
//         (padding never wins; the host refuses windows made only of padding).
//         argmax[n,c,oy,ox] = iy*W + ix of the winner: a flat index inside the (n, c) input plane.
// Ties: the first tap in scan order (row-major over ky, kx, i.e. the smallest plane index) wins.
// NaN propagates: the first NaN in scan order wins, as in PyTorch.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
layout(std430, binding = 2) writeonly buffer Argmax { int argmax[]; };

uniform int N, C, H, W;          // input shape
uniform int OH, OW;              // output size
uniform int KH, KW;              // window size
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;     // bottom/right padding only shapes OH/OW
uniform int writeArgmax;

void main() {
    int index = int(linear_index());
    if (index >= N * C * OH * OW) return;
    int ox = index % OW;
    int rest = index / OW;
    int oy = rest % OH;
    int plane = rest / OH;                    // n * C + c
    int planeBase = plane * H * W;
    int top = oy * strideH - padTop;
    int left = ox * strideW - padLeft;

    float best = 0.0;
    int bestIndex = -1;
    for (int ky = 0; ky < KH; ky++) {
        int iy = top + ky * dilationH;
        if (iy < 0 || iy >= H) continue;
        for (int kx = 0; kx < KW; kx++) {
            int ix = left + kx * dilationW;
            if (ix < 0 || ix >= W) continue;
            float v = x[planeBase + iy * W + ix];
            // Strict '>' keeps the first of equal values; a NaN replaces any number once.
            if (bestIndex < 0 || v > best || (isnan(v) && !isnan(best))) {
                best = v;
                bestIndex = iy * W + ix;
            }
        }
    }
    y[index] = best;
    if (writeArgmax != 0) argmax[index] = bestIndex;
}

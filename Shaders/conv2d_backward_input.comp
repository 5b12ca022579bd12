#version 430
// conv2d_backward_input.comp — gradient of conv2d with respect to its input (gather form, no atomics).
// Bindings: 0 dy[N,K,OH,OW] (read), 1 w[K,C/groups,KH,KW] (read), 2 dx[N,C,H,W] (read-write),
//           4 activation output a[N,C,H,W] (read, EPILOGUE 2 only: dx is multiplied by a clamp activation's
//           derivative, see conv_epilogue.glsl).
// Forward:  y[n,k,oy,ox] = sum x[n,c,oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] * w[k,c-g*Cg,ky,kx]
// So:       dx[n,c,iy,ix] = sum_{k in group(c), ky, kx} dy[n,k,oy,ox] * w[k, c-g*Cg, ky, kx]
//           where oy = (iy + padT - ky*dH) / sH and ox = (ix + padL - kx*dW) / sW are exact
//           integer divisions landing inside [0,OH) x [0,OW): the "full correlation of the
//           stride-dilated output gradient with the 180-degree-rotated kernel" of the course notes.
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates, e.g. for a branch in a graph).
// Each invocation computes ICB input channels (same group) of one input pixel: the dy loads are shared.
#define ICB 4
layout(local_size_x = 64) in;
#include "common.glsl"
#include "conv_epilogue.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int K, OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform int groups;
uniform float beta;

void main() {
    int Cg = C / groups;
    int Kg = K / groups;
    int tilesPerGroup = (Cg + ICB - 1) / ICB;
    int tilesC = tilesPerGroup * groups;
    int index = int(linear_index());
    if (index >= N * tilesC * H * W) return;
    int ix = index % W;
    int rest = index / W;
    int iy = rest % H;   rest /= H;
    int tileC = rest % tilesC;
    int n = rest / tilesC;
    int g = tileC / tilesPerGroup;
    int icLocal0 = (tileC % tilesPerGroup) * ICB;       // first channel of the tile, inside group g
    int icCount = min(ICB, Cg - icLocal0);

    float acc[ICB];
    for (int i = 0; i < ICB; i++) acc[i] = 0.0;
    int kernelArea = KH * KW;
    // Undilated kernels: the taps that hit an output position are ky = (iy + padT) mod sH + j*sH (oy falls by 1 per
    // step), likewise kx — no modulo or division per tap (llvmpipe runs integer division lane by lane).
    int tyTop = iy + padTop, txLeft = ix + padLeft;
    int kyStep = dilationH == 1 ? strideH : 1, kxStep = dilationW == 1 ? strideW : 1;
    int kyFirst = dilationH == 1 ? tyTop % strideH : 0, kxFirst = dilationW == 1 ? txLeft % strideW : 0;
    for (int ky = kyFirst; ky < KH; ky += kyStep) {
        int ty = tyTop - ky * dilationH;
        if (ty < 0) break;               // ty only falls as ky grows
        if (dilationH != 1 && ty % strideH != 0) continue;
        int oy = ty / strideH;
        if (oy >= OH) continue;
        for (int kx = kxFirst; kx < KW; kx += kxStep) {
            int tx = txLeft - kx * dilationW;
            if (tx < 0) break;
            if (dilationW != 1 && tx % strideW != 0) continue;
            int ox = tx / strideW;
            if (ox >= OW) continue;
            int tap = ky * KW + kx;
            for (int kl = 0; kl < Kg; kl++) {
                int k = g * Kg + kl;
                float g0 = dy[((n * K + k) * OH + oy) * OW + ox];
                int wBase = (k * Cg + icLocal0) * kernelArea + tap;
                for (int i = 0; i < ICB; i++) {
                    if (i < icCount) acc[i] += g0 * w[wBase + i * kernelArea];
                }
            }
        }
    }
    for (int i = 0; i < icCount; i++) {
        int c = g * Cg + icLocal0 + i;
        int o = ((n * C + c) * H + iy) * W + ix;
        dx[o] = (beta != 0.0 ? beta * dx[o] : 0.0) + epilogue(acc[i], o);
    }
}

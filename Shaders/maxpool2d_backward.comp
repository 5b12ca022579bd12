#version 430
// maxpool2d_backward.comp — gradient of 2-D max pooling with respect to its input (gather form, no atomics).
// Bindings: 0 dy[N,C,OH,OW] (read), 1 argmax[N,C,OH,OW] int (read, plane-local iy*W + ix from the forward),
//           2 dx[N,C,H,W] (read-write).
// Forward:  y[n,c,oy,ox] = x[n, c, argmax[n,c,oy,ox] / W, argmax[n,c,oy,ox] % W]
// So:       dx[n,c,iy,ix] = sum over the windows (oy, ox) that contain (iy, ix) and whose argmax is iy*W + ix
//           of dy[n,c,oy,ox]; window (oy, ox) holds (iy, ix) at tap (ky, kx) when
//           oy = (iy + padT - ky*dH) / sH and ox = (ix + padL - kx*dW) / sW divide exactly and land in range.
// Each input pixel sums its windows in (ky, kx) order, so the result is deterministic.
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Argmax { int argmax[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= N * C * H * W) return;
    int ix = index % W;
    int rest = index / W;
    int iy = rest % H;
    int plane = rest / H;
    int self = iy * W + ix;

    float acc = 0.0;
    if (dilationH == 1 && dilationW == 1) {
        // Undilated windows over (iy, ix) form a range per axis: oy in [ceil((iy + padT - KH + 1) / sH),
        // floor((iy + padT) / sH)] inside [0, OH) — two divisions per axis instead of a modulo test per tap (llvmpipe
        // runs integer division lane by lane). Walking oy downwards visits ky = iy + padT - oy*sH upwards: same order.
        int ty = iy + padTop, tx = ix + padLeft;
        int oyFirst = max(0, ty - KH + 1 <= 0 ? 0 : (ty - KH + strideH) / strideH), oyLast = min(OH - 1, ty / strideH);
        int oxFirst = max(0, tx - KW + 1 <= 0 ? 0 : (tx - KW + strideW) / strideW), oxLast = min(OW - 1, tx / strideW);
        for (int oy = oyLast; oy >= oyFirst; oy--) {
            for (int ox = oxLast; ox >= oxFirst; ox--) {
                int o = (plane * OH + oy) * OW + ox;
                if (argmax[o] == self) acc += dy[o];
            }
        }
    } else {
        for (int ky = 0; ky < KH; ky++) {
            int ty = iy + padTop - ky * dilationH;
            if (ty < 0 || ty % strideH != 0) continue;
            int oy = ty / strideH;
            if (oy >= OH) continue;
            for (int kx = 0; kx < KW; kx++) {
                int tx = ix + padLeft - kx * dilationW;
                if (tx < 0 || tx % strideW != 0) continue;
                int ox = tx / strideW;
                if (ox >= OW) continue;
                int o = (plane * OH + oy) * OW + ox;
                if (argmax[o] == self) acc += dy[o];
            }
        }
    }
    dx[index] = (beta != 0.0 ? beta * dx[index] : 0.0) + acc;
}

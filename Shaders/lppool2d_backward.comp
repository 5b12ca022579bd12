#version 430
// lppool2d_backward.comp — gradient of 2-D Lp-norm pooling with respect to its input (gather form, no atomics).
// Bindings: 0 x[N,C,H,W] (read, the forward input), 1 y[N,C,OH,OW] (read, the forward output),
//           2 dy[N,C,OH,OW] (read), 3 dx[N,C,H,W] (read-write).
// Forward:  y[n,c,oy,ox] = ( sum_{ky,kx} |x[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW]|^p )^(1/p)
// So:       dx[n,c,iy,ix] = sum over the windows (oy, ox) holding (iy, ix) of
//                           dy[n,c,oy,ox] * |x|^(p-1) sign(x) / y[n,c,oy,ox]^(p-1)   (0 where y == 0)
//           with oy = (iy + padT - ky*dH) / sH and ox = (ix + padL - kx*dW) / sW dividing exactly and in range.
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "lp_norm.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Output { float y[]; };
layout(std430, binding = 2) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 3) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform float p;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= N * C * H * W) return;
    int ix = index % W;
    int rest = index / W;
    int iy = rest % H;
    int plane = rest / H;
    float xv = x[index];

    float acc = 0.0;
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
            acc += dy[o] * lp_gradient(xv, y[o], p);
        }
    }
    dx[index] = (beta != 0.0 ? beta * dx[index] : 0.0) + acc;
}

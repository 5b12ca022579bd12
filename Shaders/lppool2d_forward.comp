#version 430
// lppool2d_forward.comp — 2-D Lp-norm pooling (ONNX LpPool, torch LPPool2d without averaging), NCHW.
// Bindings: 0 x[N,C,H,W] (read), 1 y[N,C,OH,OW] (write).
// Maths:  y[n,c,oy,ox] = ( sum_{ky,kx} |x[n, c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW]|^p )^(1/p)
//         over taps inside the image (padding is zero and adds nothing). Helpers in lp_norm.glsl.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "lp_norm.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform float p;

void main() {
    int index = int(linear_index());
    if (index >= N * C * OH * OW) return;
    int ox = index % OW;
    int rest = index / OW;
    int oy = rest % OH;
    int plane = rest / OH;
    int planeBase = plane * H * W;
    int top = oy * strideH - padTop;
    int left = ox * strideW - padLeft;

    float sum = 0.0;
    for (int ky = 0; ky < KH; ky++) {
        int iy = top + ky * dilationH;
        if (iy < 0 || iy >= H) continue;
        for (int kx = 0; kx < KW; kx++) {
            int ix = left + kx * dilationW;
            if (ix < 0 || ix >= W) continue;
            sum += lp_pow_abs(x[planeBase + iy * W + ix], p);
        }
    }
    y[index] = lp_root(sum, p);
}

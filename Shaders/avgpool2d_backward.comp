#version 430
// avgpool2d_backward.comp — gradient of 2-D average pooling with respect to its input (gather form, no atomics).
// Bindings: 0 dy[N,C,OH,OW] (read), 1 dx[N,C,H,W] (read-write).
// Forward:  y[n,c,oy,ox] = (1 / divisor(oy, ox)) * sum_{iy in rows(oy), ix in cols(ox)} x[n,c,iy,ix]
// So:       dx[n,c,iy,ix] = sum over the windows (oy, ox) whose image taps hold (iy, ix) of dy[n,c,oy,ox] / divisor(oy, ox);
//           window oy holds row iy when oy*sH - padT <= iy < oy*sH - padT + KH, i.e. oy = (iy + padT - ky) / sH
//           divides exactly for some ky in [0, KH) (columns alike): a contiguous range of oy. divisor from avgpool2d_window.glsl.
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
// EPILOGUE 2: result *= the derivative of the clamp activation that wrote x, read from its output a[N,C,H,W] at
// binding 4 (conv_epilogue.glsl; the pool's input x is a).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "avgpool2d_window.glsl"
#include "conv_epilogue.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int KH, KW;
uniform int strideH, strideW;
uniform int padTop, padLeft, padBottom, padRight;
uniform int countIncludePad;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= N * C * H * W) return;
    int ix = index % W;
    int rest = index / W;
    int iy = rest % H;
    int plane = rest / H;

    // The windows over (iy, ix) are a range per axis: oy*sH - padT <= iy < oy*sH - padT + KH, so
    // oy in [ceil((iy + padT - KH + 1) / sH), floor((iy + padT) / sH)] inside [0, OH) — two divisions per axis
    // instead of a modulo test per tap (llvmpipe runs integer division lane by lane).
    int ty = iy + padTop, tx = ix + padLeft;
    int oyFirst = max(0, ty - KH + 1 <= 0 ? 0 : (ty - KH + strideH) / strideH), oyLast = min(OH - 1, ty / strideH);
    int oxFirst = max(0, tx - KW + 1 <= 0 ? 0 : (tx - KW + strideW) / strideW), oxLast = min(OW - 1, tx / strideW);
    float acc = 0.0;
    for (int oy = oyFirst; oy <= oyLast; oy++) {
        int rowCount = avg_window_axis(oy, strideH, padTop, padBottom, KH, H, countIncludePad != 0).z;
        for (int ox = oxFirst; ox <= oxLast; ox++) {
            int colCount = avg_window_axis(ox, strideW, padLeft, padRight, KW, W, countIncludePad != 0).z;
            acc += dy[(plane * OH + oy) * OW + ox] / float(rowCount * colCount);
        }
    }
    dx[index] = (beta != 0.0 ? beta * dx[index] : 0.0) + epilogue(acc, index);
}

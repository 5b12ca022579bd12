#version 430
// conv2d_backward_weight.comp — pass 1 of the weight gradient: partial sums over a slice of the
// reduction axis (n, oy, ox); sum_partials.comp adds the slices into dw. No float atomics.
// Bindings: 0 x[N,C,H,W] (read), 1 dy[N,K,OH,OW] (read), 2 partial[splits, K*Cg*KH*KW] (write).
// Forward:  y[n,k,oy,ox] = sum x[n, g*Cg+c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW] * w[k,c,ky,kx]
// So:       dw[k,c,ky,kx] = sum_{n,oy,ox} dy[n,k,oy,ox] * x[n, g*Cg+c, oy*sH - padT + ky*dH, ox*sW - padL + kx*dW]
//           (the correlation of the input with the output gradient).
// Invocation (weightIndex, split) sums r in [split*chunk, min((split+1)*chunk, N*OH*OW)), r = (n*OH + oy)*OW + ox.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };

uniform int N, C, H, W;
uniform int K, OH, OW;
uniform int KH, KW;
uniform int strideH, strideW, dilationH, dilationW;
uniform int padTop, padLeft;
uniform int groups;
uniform int splits, chunk;

void main() {
    int Cg = C / groups;
    int Kg = K / groups;
    int weightCount = K * Cg * KH * KW;
    int index = int(linear_index());
    if (index >= weightCount * splits) return;
    int weightIndex = index % weightCount;
    int split = index / weightCount;
    int kx = weightIndex % KW;
    int rest = weightIndex / KW;
    int ky = rest % KH;   rest /= KH;
    int c = rest % Cg;
    int k = rest / Cg;
    int g = k / Kg;
    int inChannel = g * Cg + c;

    int total = N * OH * OW;
    int r0 = split * chunk;
    int r1 = min(r0 + chunk, total);
    float acc = 0.0;
    int r = r0;
    while (r < r1) {
        int ox = r % OW;
        int rowIndex = r / OW;              // n*OH + oy
        int oy = rowIndex % OH;
        int n = rowIndex / OH;
        int rowEnd = min(r1, (rowIndex + 1) * OW);
        int iy = oy * strideH - padTop + ky * dilationH;
        if (iy >= 0 && iy < H) {
            int inRow = ((n * C + inChannel) * H + iy) * W;
            int outRow = ((n * K + k) * OH + oy) * OW;
            for (; r < rowEnd; r++, ox++) {
                int ix = ox * strideW - padLeft + kx * dilationW;
                if (ix >= 0 && ix < W) acc += dy[outRow + ox] * x[inRow + ix];
            }
        }
        r = rowEnd;
    }
    partial[split * weightCount + weightIndex] = acc;
}

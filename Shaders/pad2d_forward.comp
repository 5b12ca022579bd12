#version 430
// pad2d_forward.comp — spatial padding / cropping of an NCHW tensor (ONNX Pad on H and W).
// Bindings: 0 x[N,C,H,W] (read), 1 y[N,C,OH,OW] (write).
// Maths: y[n,c,oy,ox] = x[n, c, src(oy - padTop), src(ox - padLeft)], where src maps into the input by the mode
//        (pad2d_index.glsl); in constant mode a position outside the input reads `value` instead.
// A negative padTop/padLeft crops: OH = H + padTop + padBottom is computed on the CPU.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "pad2d_index.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int padTop, padLeft;
uniform int mode;
uniform float value;

void main() {
    int index = int(linear_index());
    if (index >= N * C * OH * OW) return;
    int ox = index % OW;
    int rest = index / OW;
    int oy = rest % OH;
    int plane = rest / OH;                      // n * C + c
    int iy = pad_source(oy, padTop, H, mode);
    int ix = pad_source(ox, padLeft, W, mode);
    bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
    y[index] = inside ? x[(plane * H + iy) * W + ix] : value;
}

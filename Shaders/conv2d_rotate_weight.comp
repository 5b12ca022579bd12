#version 430
// conv2d_rotate_weight.comp — the kernel of the stride-1 input gradient as a forward convolution:
// rotated[g*Cg + c, kl, ky, kx] = w[g*Kg + kl, c, KH-1-ky, KW-1-kx]
// Bindings: 0 w[K, Cg, KH, KW] (read), 1 rotated[C, Kg, KH, KW] (write).
// With it, dx = conv(dy, rotated) with padding (dH*(KH-1) - padT, dW*(KW-1) - padL): the course notes'
// "full correlation of the padded output gradient with the 180-degree-rotated kernel".
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Weight { float w[]; };
layout(std430, binding = 1) writeonly buffer Rotated { float rotated[]; };
uniform int K, C, KH, KW, groups;

void main() {
    int index = int(linear_index());
    int Cg = C / groups, Kg = K / groups;
    if (index >= C * Kg * KH * KW) return;
    int kx = index % KW;
    int rest = index / KW;
    int ky = rest % KH;    rest /= KH;
    int kl = rest % Kg;
    int channel = rest / Kg;          // g*Cg + c
    int g = channel / Cg, c = channel % Cg;
    rotated[index] = w[(((g * Kg + kl) * Cg + c) * KH + (KH - 1 - ky)) * KW + (KW - 1 - kx)];
}

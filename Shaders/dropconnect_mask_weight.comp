#version 430
// dropconnect_mask_weight.comp — the weight one DropConnect training step uses (Wan et al. 2013):
//   Wm[o, i] = keep(seed, o * IN + i) ? W[o, i] * scale : 0,   scale = 1 / (1 - p)
// i.e. W ∘ M / (1 - p) with the mask keyed by the flat weight index (dropout_mask.glsl).
// Bindings: 0 W[OUT, IN] (read), 1 Wm[OUT, IN] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "dropout_mask.glsl"
layout(std430, binding = 0) readonly buffer Weight { float w[]; };
layout(std430, binding = 1) writeonly buffer MaskedWeight { float wm[]; };

uniform int count;
uniform uint seed;
uniform float p, scale;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    wm[i] = dropout_keep(seed, i, p) ? w[i] * scale : 0.0;
}

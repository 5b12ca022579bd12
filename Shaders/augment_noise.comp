#version 430
// augment_noise.comp — additive Gaussian noise with a per-sample standard deviation:
//   y[i] = x[i] + sigma[n] * random_normal(seed, i),   n = i / (C H W),  i the flat NCHW index,
// then clamped to [lo, hi] when clampValues = 1. sigma[n] = 0 leaves sample n untouched (apart from clamping).
// Bindings: 0 x[count] (read), 1 y[count] (write; may be x: in place), 2 sigma[N] (read).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
layout(std430, binding = 2) readonly buffer Sigma { float sigma[]; };

uniform int count, sampleSize;
uniform uint seed;
uniform int clampValues;
uniform float lo, hi;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    float s = sigma[int(i) / sampleSize];
    float v = x[i];
    if (s != 0.0) v += s * random_normal(seed, i);
    if (clampValues != 0) v = clamp(v, lo, hi);
    y[i] = v;
}

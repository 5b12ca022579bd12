#version 430
// augment_color.comp — a per-sample affine colour transform of an RGB batch: brightness, contrast,
// saturation, per-channel colour shift and PCA colour augmentation all have this form.
// Bindings: 0 src[N, 3, H, W] (read), 1 dst[N, 3, H, W] (write; may be src: in place),
//           2 params[N, 16] (read): m00 m01 m02 m10 m11 m12 m20 m21 m22, o_r o_g o_b, k, unused x3,
//           3 mean[N] (read): the grey mean of each input image (augment_gray_mean.comp; unused when k = 0).
// For the pixel x = (r, g, b):  y = M x + o + k * mean[n] * (1, 1, 1),  then clamped to [lo, hi] when clampValues = 1.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float src[]; };
layout(std430, binding = 1) writeonly buffer Output { float dst[]; };
layout(std430, binding = 2) readonly buffer Params { float params[]; };
layout(std430, binding = 3) readonly buffer Mean { float mean[]; };

uniform int N, H, W;
uniform int clampValues;
uniform float lo, hi;

void main() {
    int index = int(linear_index());
    int plane = H * W;
    if (index >= N * plane) return;
    int n = index / plane, pixel = index % plane;
    int base = n * 3 * plane + pixel;
    vec3 x = vec3(src[base], src[base + plane], src[base + 2 * plane]);
    int p = n * 16;
    vec3 row0 = vec3(params[p], params[p + 1], params[p + 2]);
    vec3 row1 = vec3(params[p + 3], params[p + 4], params[p + 5]);
    vec3 row2 = vec3(params[p + 6], params[p + 7], params[p + 8]);
    vec3 offset = vec3(params[p + 9], params[p + 10], params[p + 11]);
    float k = params[p + 12];
    vec3 y = vec3(dot(row0, x), dot(row1, x), dot(row2, x)) + offset;
    if (k != 0.0) y += vec3(k * mean[n]);
    if (clampValues != 0) y = clamp(y, vec3(lo), vec3(hi));
    dst[base] = y.r;
    dst[base + plane] = y.g;
    dst[base + 2 * plane] = y.b;
}

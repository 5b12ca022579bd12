#version 430
// augment_composite.comp — pastes RGBA cut-outs onto random backgrounds ("over" with straight alpha):
//   out = alpha * fg + (1 - alpha) * bg(p),   alpha = clamp(src[n, 3], 0, 1)
// Bindings: 0 src[N, 4, H, W] (read: RGB + alpha), 1 dst[N, 3, H, W] (write), 2 params[N, 16] (read),
//           3 backgrounds[B, 3, BH, BW] (read; any buffer when no sample uses kind 2).
// params of sample n: kind, r0 g0 b0, r1 g1 b1, dx dy, image, cropX cropY scaleX scaleY, unused x2.
// Background at the pixel centre p = (x + 0.5, y + 0.5):
//   kind 0 solid:    c0
//   kind 1 gradient: mix(c0, c1, t),  t = clamp(0.5 + dot(p / (W, H) - 0.5, (dx, dy)), 0, 1)
//   kind 2 image:    bilinear sample (edge border) of backgrounds[image] at crop + p * scale - 0.5 (pixel-centre map).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float fg[]; };
layout(std430, binding = 1) writeonly buffer Output { float dst[]; };
layout(std430, binding = 2) readonly buffer Params { float params[]; };
layout(std430, binding = 3) readonly buffer Backgrounds { float src[]; };
#include "augment_sample.glsl"

uniform int N, H, W, BH, BW;

void main() {
    int index = int(linear_index());
    int plane = H * W;
    if (index >= N * plane) return;
    int n = index / plane, pixel = index % plane;
    vec2 p = vec2(float(pixel % W) + 0.5, float(pixel / W) + 0.5);
    int q = n * 16;
    int kind = int(params[q]);
    vec3 c0 = vec3(params[q + 1], params[q + 2], params[q + 3]);
    vec3 c1 = vec3(params[q + 4], params[q + 5], params[q + 6]);
    vec3 background = c0;
    if (kind == 1) {
        float t = clamp(0.5 + dot(p / vec2(float(W), float(H)) - 0.5, vec2(params[q + 7], params[q + 8])), 0.0, 1.0);
        background = mix(c0, c1, t);
    } else if (kind == 2) {
        int image = int(params[q + 9]);
        vec2 s = vec2(params[q + 10], params[q + 11]) + p * vec2(params[q + 12], params[q + 13]) - 0.5;
        int bplane = BH * BW;
        for (int ch = 0; ch < 3; ch++)
            background[ch] = sample_bilinear((image * 3 + ch) * bplane, s.x, s.y, BW, BH, BORDER_EDGE, 0.0);
    }
    int in_base = n * 4 * plane + pixel;
    float alpha = clamp(fg[in_base + 3 * plane], 0.0, 1.0);
    int out_base = n * 3 * plane + pixel;
    for (int ch = 0; ch < 3; ch++)
        dst[out_base + ch * plane] = alpha * fg[in_base + ch * plane] + (1.0 - alpha) * background[ch];
}

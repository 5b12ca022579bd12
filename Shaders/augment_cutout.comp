#version 430
// augment_cutout.comp — cutout / random erasing: every pixel inside one of the sample's rectangles takes the
// fill value in all channels; the others are copied.
// Bindings: 0 src[N, C, H, W] (read), 1 dst[N, C, H, W] (write; may be src: in place),
//           2 rects[N, K, 4] (read): x0, y0, x1, y1 in pixels, half-open [x0, x1) x [y0, y1); empty when x0 >= x1.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float src[]; };
layout(std430, binding = 1) writeonly buffer Output { float dst[]; };
layout(std430, binding = 2) readonly buffer Rects { float rects[]; };

uniform int N, C, H, W, K;
uniform float fill;

void main() {
    int index = int(linear_index());
    int plane = H * W;
    if (index >= N * plane) return;
    int n = index / plane, pixel = index % plane;
    float x = float(pixel % W), y = float(pixel / W);
    bool inside = false;
    for (int k = 0; k < K; k++) {
        int r = (n * K + k) * 4;
        inside = inside || (x >= rects[r] && x < rects[r + 2] && y >= rects[r + 1] && y < rects[r + 3]);
    }
    for (int ch = 0; ch < C; ch++) {
        int at = (n * C + ch) * plane + pixel;
        dst[at] = inside ? fill : src[at];
    }
}

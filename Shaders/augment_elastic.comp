#version 430
// augment_elastic.comp — local elastic warp ("local warping"): each sample moves by a smooth random
// displacement field, out(p) = bilinear(src, p + disp(p) - 0.5) (pixel-centre p, border mode as augment_affine).
// Bindings: 0 src[N, C, H, W] (read), 1 dst[N, C, H, W] (write; never src), 2 amplitude[N] (read, pixels).
// The field of sample n is a G x G grid of random vectors spanning the image — node (i, j) sits at the
// pixel-centre position (i * W / (G-1), j * H / (G-1)) — bilinearly interpolated between nodes. Node k =
// (n * G + j) * G + i holds a vector uniform over the disc of radius amplitude[n]:
//   r = amplitude[n] * sqrt(u1),  theta = 2 pi u2,  u1 = random_uniform(seed, 2k), u2 = random_uniform(seed, 2k + 1).
// The disc is convex, so every interpolated displacement has length <= amplitude[n]; amplitude 0 is the identity.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float src[]; };
layout(std430, binding = 1) writeonly buffer Output { float dst[]; };
layout(std430, binding = 2) readonly buffer Amplitude { float amplitude[]; };
#include "augment_sample.glsl"

uniform int N, C, H, W, G;
uniform uint seed;
uniform int border;
uniform float fill;

vec2 node_vector(int n, int i, int j, float radius) {
    uint k = uint((n * G + j) * G + i);
    float r = radius * sqrt(random_uniform(seed, 2u * k));
    float theta = 6.28318530718 * random_uniform(seed, 2u * k + 1u);
    return r * vec2(cos(theta), sin(theta));
}

void main() {
    int index = int(linear_index());
    if (index >= N * H * W) return;
    int x = index % W, y = (index / W) % H, n = index / (W * H);
    vec2 p = vec2(float(x) + 0.5, float(y) + 0.5);
    vec2 disp = vec2(0.0);
    float radius = amplitude[n];
    if (radius > 0.0) {
        // Grid coordinate of p: t in [0, G-1]; cell (i0, j0), weights (fx, fy).
        vec2 t = p / vec2(float(W), float(H)) * float(G - 1);
        int i0 = min(int(t.x), G - 2), j0 = min(int(t.y), G - 2);
        vec2 f = t - vec2(float(i0), float(j0));
        vec2 top = mix(node_vector(n, i0, j0, radius), node_vector(n, i0 + 1, j0, radius), f.x);
        vec2 bottom = mix(node_vector(n, i0, j0 + 1, radius), node_vector(n, i0 + 1, j0 + 1, radius), f.x);
        disp = mix(top, bottom, f.y);
    }
    vec2 s = p + disp - 0.5;
    for (int ch = 0; ch < C; ch++) {
        int base = (n * C + ch) * H * W;
        dst[base + y * W + x] = sample_bilinear(base, s.x, s.y, W, H, border, fill);
    }
}

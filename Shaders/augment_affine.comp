#version 430
// augment_affine.comp — per-sample affine warp of an NCHW batch: flips, crops, resizes, rotation, shear,
// scale and translation (the pipeline composes consecutive ones into one map, so the image is resampled once).
// Bindings: 0 src[NI, C, H, W] (read), 1 dst[N, C, OH, OW] (write; never src), 2 params[N, 8] (read).
// params of output sample n: a, b, tx, c, d, ty, sourceIndex, taps. (a b tx; c d ty) maps output pixel-centre
// coordinates p = (ox + 0.5, oy + 0.5) to source pixel-centre coordinates q:
//   qx = a * px + b * py + tx,   qy = c * px + d * py + ty,
// and dst[n, ch, oy, ox] = bilinear(src[sourceIndex, ch], q - 0.5) with the border mode (augment_sample.glsl).
// taps > 1 (maps that shrink): the mean of taps x taps points spread over the output pixel's footprint,
//   p = (ox + (i + 0.5) / taps, oy + (j + 0.5) / taps), i, j in [0, taps) — anti-aliasing like image_to_nchw.comp.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float src[]; };
layout(std430, binding = 1) writeonly buffer Output { float dst[]; };
layout(std430, binding = 2) readonly buffer Params { float params[]; };
#include "augment_sample.glsl"

uniform int N, C, H, W, OH, OW;
uniform int border;
uniform float fill;

void main() {
    int index = int(linear_index());
    if (index >= N * OH * OW) return;
    int ox = index % OW, oy = (index / OW) % OH, n = index / (OW * OH);
    int p = n * 8;
    float a = params[p], b = params[p + 1], tx = params[p + 2];
    float c = params[p + 3], d = params[p + 4], ty = params[p + 5];
    int source = int(params[p + 6]);
    int taps = int(params[p + 7]);
    float step = 1.0 / float(taps);
    for (int ch = 0; ch < C; ch++) {
        int base = (source * C + ch) * H * W;
        float sum = 0.0;
        for (int j = 0; j < taps; j++) {
            for (int i = 0; i < taps; i++) {
                float px = float(ox) + (float(i) + 0.5) * step;
                float py = float(oy) + (float(j) + 0.5) * step;
                float sx = a * px + b * py + tx - 0.5;
                float sy = c * px + d * py + ty - 0.5;
                sum += sample_bilinear(base, sx, sy, W, H, border, fill);
            }
        }
        dst[((n * C + ch) * OH + oy) * OW + ox] = sum / float(taps * taps);
    }
}

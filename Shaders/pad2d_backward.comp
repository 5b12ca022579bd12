#version 430
// pad2d_backward.comp — gradient of Pad2d with respect to its input (gather form, no atomics).
// Bindings: 0 dy[N,C,OH,OW] (read), 1 dx[N,C,H,W] (read-write).
// Forward:  y[n,c,oy,ox] = x[n, c, src(oy - padTop), src(ox - padLeft)]  (or the constant, which has no input)
// So:       dx[n,c,iy,ix] = sum over oy with src(oy - padTop) == iy, ox with src(ox - padLeft) == ix of dy[n,c,oy,ox]
//           (one term for constant mode, up to 3x3 for reflect, whole border runs for edge; none when cropped).
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "pad2d_index.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int padTop, padLeft;
uniform int mode;
uniform float beta;

void main() {
    int index = int(linear_index());
    if (index >= N * C * H * W) return;
    int ix = index % W;
    int rest = index / W;
    int iy = rest % H;
    int plane = rest / H;
    int rowCount = pad_candidate_count(iy, padTop, H, OH, mode);
    int columnCount = pad_candidate_count(ix, padLeft, W, OW, mode);
    float sum = 0.0;
    for (int a = 0; a < rowCount; a++) {
        int oy = pad_candidate(iy, a, padTop, H, mode);
        if (oy < 0 || oy >= OH || pad_source(oy, padTop, H, mode) != iy) continue;
        int row = (plane * OH + oy) * OW;
        for (int b = 0; b < columnCount; b++) {
            int ox = pad_candidate(ix, b, padLeft, W, mode);
            if (ox < 0 || ox >= OW || pad_source(ox, padLeft, W, mode) != ix) continue;
            sum += dy[row + ox];
        }
    }
    dx[index] = (beta != 0.0 ? beta * dx[index] : 0.0) + sum;
}

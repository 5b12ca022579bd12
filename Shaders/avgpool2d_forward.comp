#version 430
// avgpool2d_forward.comp — 2-D average pooling, NCHW, one invocation per output element.
// Bindings: 0 x[N,C,H,W] (read), 1 y[N,C,OH,OW] (write).
// Maths:  y[n,c,oy,ox] = (1 / divisor(oy, ox)) * sum_{iy in rows(oy), ix in cols(ox)} x[n,c,iy,ix]
//         rows/cols and divisor from avg_window_axis (avgpool2d_window.glsl): the image taps of the window, and
//         the taps inside the padded image (countIncludePad != 0) or inside the image (== 0). No dilation.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "avgpool2d_window.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int N, C, H, W;
uniform int OH, OW;
uniform int KH, KW;
uniform int strideH, strideW;
uniform int padTop, padLeft, padBottom, padRight;
uniform int countIncludePad;

void main() {
    int index = int(linear_index());
    if (index >= N * C * OH * OW) return;
    int ox = index % OW;
    int rest = index / OW;
    int oy = rest % OH;
    int plane = rest / OH;
    ivec3 rows = avg_window_axis(oy, strideH, padTop, padBottom, KH, H, countIncludePad != 0);
    ivec3 cols = avg_window_axis(ox, strideW, padLeft, padRight, KW, W, countIncludePad != 0);

    float sum = 0.0;
    for (int iy = rows.x; iy < rows.y; iy++) {
        int rowBase = (plane * H + iy) * W;
        for (int ix = cols.x; ix < cols.y; ix++) sum += x[rowBase + ix];
    }
    y[index] = sum / float(rows.z * cols.z);
}

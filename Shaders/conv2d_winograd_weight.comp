#version 430
// conv2d_winograd_weight.comp — Winograd F(2x2, 3x3) weight transform (Lavin & Gray 2015), one invocation per (k, c).
// Bindings: 0 w[K,C,3,3] (read), 1 u[16,K,C] (write).
// Maths:  U = G g G^T, g = w[k,c] (3x3), G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1] (4x3);
//         u[xi, k, c] = U[xi / 4][xi % 4] — for each of the 16 positions xi a [K, C] matrix, the A operand of
//         the 16 batched GEMMs M[xi] = U[xi] V[xi] (contiguous along C, so matmul.comp reads it with vec4 loads).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Weight { float w[]; };
layout(std430, binding = 1) writeonly buffer Transformed { float u[]; };

uniform int K, C;

void main() {
    int index = int(linear_index());   // k * C + c
    if (index >= K * C) return;
    float g[3][3];
    for (int r = 0; r < 3; r++) for (int s = 0; s < 3; s++) g[r][s] = w[index * 9 + r * 3 + s];
    // t = G g (4x3): rows g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2.
    float t[4][3];
    for (int s = 0; s < 3; s++) {
        t[0][s] = g[0][s];
        t[1][s] = 0.5 * (g[0][s] + g[1][s] + g[2][s]);
        t[2][s] = 0.5 * (g[0][s] - g[1][s] + g[2][s]);
        t[3][s] = g[2][s];
    }
    // U = t G^T (4x4): the same combination along columns.
    int plane = K * C;
    for (int r = 0; r < 4; r++) {
        u[(r * 4 + 0) * plane + index] = t[r][0];
        u[(r * 4 + 1) * plane + index] = 0.5 * (t[r][0] + t[r][1] + t[r][2]);
        u[(r * 4 + 2) * plane + index] = 0.5 * (t[r][0] - t[r][1] + t[r][2]);
        u[(r * 4 + 3) * plane + index] = t[r][2];
    }
}

#version 430
// conv2d_winograd_weight.comp — Winograd F(2x2, 3x3) weight transform (Lavin & Gray 2015), one invocation per four
// consecutive (k, c) pairs (flat index k * C + c), so every store is a vec4.
// Bindings: 0 w[K,C,3,3] (read), 1 u[16, KC4] (write; KC4 = K*C rounded up to 4, the pad entries are 0).
// Maths:  U = G g G^T, g = w[k,c] (3x3), G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1] (4x3);
//         u[xi * KC4 + k * C + c] = U[xi / 4][xi % 4] — for each of the 16 positions xi a [K, C] matrix, the A operand
//         of the 16 batched GEMMs M[xi] = U[xi] V[xi] (contiguous along C, so matmul.comp reads it with vec4 loads).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Weight { float w[]; };
layout(std430, binding = 1) writeonly buffer Transformed { vec4 u4[]; };
// LOAD_W: R32F texel fetches from wTex when the host defines TEX_WEIGHTS 1 (GpuContext.UseTexelBufferLoads).
#include "texel_loads.glsl"

uniform int K, C, KC4;

void main() {
    int group = int(linear_index());   // pairs 4 * group .. 4 * group + 3
    if (group >= KC4 / 4) return;
    vec4 U[4][4];
    for (int lane = 0; lane < 4; lane++) {
        int index = 4 * group + lane;
        float g[3][3];
        for (int r = 0; r < 3; r++) for (int s = 0; s < 3; s++) g[r][s] = index < K * C ? LOAD_W(index * 9 + r * 3 + s) : 0.0;
        // t = G g (4x3): rows g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2; then U = t G^T combines the columns the same way.
        float t[4][3];
        for (int s = 0; s < 3; s++) {
            t[0][s] = g[0][s];
            t[1][s] = 0.5 * (g[0][s] + g[1][s] + g[2][s]);
            t[2][s] = 0.5 * (g[0][s] - g[1][s] + g[2][s]);
            t[3][s] = g[2][s];
        }
        for (int r = 0; r < 4; r++) {
            U[r][0][lane] = t[r][0];
            U[r][1][lane] = 0.5 * (t[r][0] + t[r][1] + t[r][2]);
            U[r][2][lane] = 0.5 * (t[r][0] - t[r][1] + t[r][2]);
            U[r][3][lane] = t[r][2];
        }
    }
    int plane4 = KC4 / 4;
    for (int r = 0; r < 4; r++) for (int s = 0; s < 4; s++) u4[(r * 4 + s) * plane4 + group] = U[r][s];
}

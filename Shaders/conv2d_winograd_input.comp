#version 430
// conv2d_winograd_input.comp — Winograd F(2x2, 3x3) input transform, one invocation per (c, four consecutive tiles),
// so every store is a vec4.
// Bindings: 0 x[N,C,H,W] (read), 1 v[16,C,T4] (write).
// Tiles: output tile t = (n, ty, tx) covers output rows 2ty..2ty+1 and columns 2tx..2tx+1; T = N * tilesH * tilesW,
// tilesH = ceil(OH/2), tilesW = ceil(OW/2). Its 4x4 input patch starts at (2ty - padTop, 2tx - padLeft) (tiles
// overlap by 2); values outside the image are 0. T4 = T rounded up to 4 (the GEMM's vec4 loads); pad tiles are 0.
// Maths:  V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1];  v[xi, c, t] = V[xi / 4][xi % 4].
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Transformed { vec4 v4[]; };
#include "texel_loads.glsl"

uniform int N, C, H, W;
uniform int tilesH, tilesW, T4;
uniform int padTop, padLeft;

void main() {
    int index = int(linear_index());   // (c * T4 + t0) / 4
    if (index >= C * T4 / 4) return;
    int t0 = (index * 4) % T4;
    int c = (index * 4) / T4;
    vec4 V[4][4];
    for (int lane = 0; lane < 4; lane++) {
        int t = t0 + lane;
        float d[4][4];
        bool inside = t < N * tilesH * tilesW;   // else a pad tile: zeros
        int tx = t % tilesW;
        int rest = t / tilesW;
        int ty = rest % tilesH;
        int n = rest / tilesH;
        int iy0 = 2 * ty - padTop, ix0 = 2 * tx - padLeft;
        int base = (n * C + c) * H;
        for (int r = 0; r < 4; r++) {
            int iy = iy0 + r;
            bool rowInside = inside && iy >= 0 && iy < H;
            for (int s = 0; s < 4; s++) {
                int ix = ix0 + s;
                d[r][s] = rowInside && ix >= 0 && ix < W ? LOAD_X((base + iy) * W + ix) : 0.0;
            }
        }
        // e = B^T d (combine rows), then V = e B (combine columns the same way).
        float e[4][4];
        for (int s = 0; s < 4; s++) {
            e[0][s] = d[0][s] - d[2][s];
            e[1][s] = d[1][s] + d[2][s];
            e[2][s] = d[2][s] - d[1][s];
            e[3][s] = d[1][s] - d[3][s];
        }
        for (int r = 0; r < 4; r++) {
            V[r][0][lane] = e[r][0] - e[r][2];
            V[r][1][lane] = e[r][1] + e[r][2];
            V[r][2][lane] = e[r][2] - e[r][1];
            V[r][3][lane] = e[r][1] - e[r][3];
        }
    }
    int plane4 = C * T4 / 4;
    for (int r = 0; r < 4; r++) for (int s = 0; s < 4; s++) v4[(r * 4 + s) * plane4 + index] = V[r][s];
}

#version 430
// global_pool_forward.comp — global pooling over each (n, c) plane, NCHW -> [N,C,1,1]; one invocation per plane.
// Bindings: 0 x[N,C,H,W] (read), 1 y[N*C] (write), 2 argmax[N*C] int (write, kind == 1 and writeArgmax != 0 only).
// kind 0 average: y[n,c] = (1 / (H*W)) * sum_{h,w} x[n,c,h,w]
// kind 1 max:     y[n,c] = max_{h,w} x[n,c,h,w]; argmax[n,c] = h*W + w of the first maximum in row-major order
//                 (ties: the smallest index wins; NaN propagates, the first NaN wins)
// kind 2 Lp:      y[n,c] = (sum_{h,w} |x[n,c,h,w]|^p)^(1/p)   (lp_norm.glsl)
layout(local_size_x = 64) in;
#include "common.glsl"
#include "lp_norm.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
layout(std430, binding = 2) writeonly buffer Argmax { int argmax[]; };

uniform int N, C, H, W;
uniform int kind;                // 0 average, 1 max, 2 Lp
uniform int writeArgmax;
uniform float p;

void main() {
    int plane = int(linear_index());
    if (plane >= N * C) return;
    int area = H * W;
    int base = plane * area;
    if (kind == 1) {
        float best = x[base];
        int bestIndex = 0;
        for (int i = 1; i < area; i++) {
            float v = x[base + i];
            if (v > best || (isnan(v) && !isnan(best))) { best = v; bestIndex = i; }
        }
        y[plane] = best;
        if (writeArgmax != 0) argmax[plane] = bestIndex;
        return;
    }
    float sum = 0.0;
    if (kind == 0) {
        for (int i = 0; i < area; i++) sum += x[base + i];
        y[plane] = sum / float(area);
    } else {
        for (int i = 0; i < area; i++) sum += lp_pow_abs(x[base + i], p);
        y[plane] = lp_root(sum, p);
    }
}

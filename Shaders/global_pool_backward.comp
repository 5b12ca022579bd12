#version 430
// global_pool_backward.comp — gradient of global pooling with respect to its input; one invocation per (n, c) plane.
// Bindings: 0 dy[N*C] (read), 1 argmax[N*C] int (read, kind 1), 2 x[N,C,H,W] (read, kind 2),
//           3 y[N*C] (read, kind 2, the forward output), 4 dx[N,C,H,W] (read-write).
// kind 0 average: forward y = (1/(H*W)) sum x      -> dx[n,c,h,w] = dy[n,c] / (H*W)
// kind 1 max:     forward y = x[n,c,argmax]        -> dx[n,c,h,w] = dy[n,c] where h*W + w == argmax[n,c], else 0
// kind 2 Lp:      forward y = (sum |x|^p)^(1/p)    -> dx[n,c,h,w] = dy[n,c] * |x|^(p-1) sign(x) / y^(p-1)  (0 where y == 0)
// dx = beta * dx + result (beta = 0 overwrites, 1 accumulates).
// EPILOGUE 2 (average only): result *= the derivative of the clamp activation that wrote x, read from its output
// a[N,C,H,W] at binding 5 (conv_epilogue.glsl; the pool's input x is a).
// One invocation per (n, c) plane, looping over its H*W elements (dispatch N*C): measured on llvmpipe, an invocation per
// element (or per four) spent ~10 ns per element, a loop per plane ~1 ns — the plane's gradient is loaded once.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "lp_norm.glsl"
#define EPILOGUE_BINDING 5
#include "conv_epilogue.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Argmax { int argmax[]; };
layout(std430, binding = 2) readonly buffer Input { float x[]; };
layout(std430, binding = 3) readonly buffer Output { float y[]; };
layout(std430, binding = 4) buffer GradInput { float dx[]; };

uniform int N, C, H, W;
uniform int kind;                // 0 average, 1 max, 2 Lp
uniform float p;
uniform float beta;

void main() {
    int plane = int(linear_index());
    if (plane >= N * C) return;
    int area = H * W, base = plane * area;
    float g = dy[plane];
    if (kind == 0) {
        g /= float(area);
        for (int i = 0; i < area; i++) dx[base + i] = (beta != 0.0 ? beta * dx[base + i] : 0.0) + epilogue(g, base + i);
    } else if (kind == 1) {
        int hit = argmax[plane];
        for (int i = 0; i < area; i++) dx[base + i] = (beta != 0.0 ? beta * dx[base + i] : 0.0) + (i == hit ? g : 0.0);
    } else {
        float norm = y[plane];
        for (int i = 0; i < area; i++)
            dx[base + i] = (beta != 0.0 ? beta * dx[base + i] : 0.0) + g * lp_gradient(x[base + i], norm, p);
    }
}

#version 430
// weightnorm_backward.comp — direction gradient of w = g * v / ||v|| (per row k), elementwise over [K, L]:
//   dv = g / ||v|| * (dw - (dw . vhat) vhat),   vhat = v / ||v||
//   dv[k, j] = beta * dv[k, j] + g[k] / norm[k] * (dw[k, j] - proj[k] * v[k, j] / norm[k])
// with proj[k] = dw_k . vhat_k from weightnorm_backward_rows.comp. beta = 1 accumulates, 0 overwrites.
// Bindings: 0 dw (read), 1 v (read), 2 g[K] (read), 3 norm[K] (read), 4 proj[K] (read), 5 dv (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradWeight { float dw[]; };
layout(std430, binding = 1) readonly buffer Direction { float v[]; };
layout(std430, binding = 2) readonly buffer Magnitude { float g[]; };
layout(std430, binding = 3) readonly buffer Norm { float norm[]; };
layout(std430, binding = 4) readonly buffer Projection { float proj[]; };
layout(std430, binding = 5) buffer GradDirection { float dv[]; };

uniform int K, L;
uniform float beta;

void main() {
    int i = int(linear_index());
    if (i >= K * L) return;
    int k = i / L;
    float inverseNorm = 1.0 / norm[k];
    float value = g[k] * inverseNorm * (dw[i] - proj[k] * v[i] * inverseNorm);
    dv[i] = (beta != 0.0 ? beta * dv[i] : 0.0) + value;
}

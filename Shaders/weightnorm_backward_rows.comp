#version 430
// weightnorm_backward_rows.comp — per output channel k, the projection of dL/dw onto the unit direction:
//   proj[k] = dw_k . vhat_k = (sum_j dw[k, j] * v[k, j]) / norm[k]
// which is also the magnitude gradient of w = g * v / ||v||:  dg[k] = dw_k . vhat_k.
//   dg[k] = beta * dg[k] + proj[k]     (only when writeGradMagnitude == 1; beta = 1 accumulates)
// Bindings: 0 dw[K, L] (read), 1 v[K, L] (read), 2 norm[K] (read), 3 proj[K] (write), 4 dg[K] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradWeight { float dw[]; };
layout(std430, binding = 1) readonly buffer Direction { float v[]; };
layout(std430, binding = 2) readonly buffer Norm { float norm[]; };
layout(std430, binding = 3) writeonly buffer Projection { float proj[]; };
layout(std430, binding = 4) buffer GradMagnitude { float dg[]; };

uniform int K, L;
uniform int writeGradMagnitude;
uniform float beta;

void main() {
    int k = int(linear_index());
    if (k >= K) return;
    float dot = 0.0;
    for (int j = 0; j < L; j++) dot += dw[k * L + j] * v[k * L + j];
    float projection = dot / norm[k];
    proj[k] = projection;
    if (writeGradMagnitude != 0) dg[k] = (beta != 0.0 ? beta * dg[k] : 0.0) + projection;
}

#version 430
// weightnorm_forward.comp — weight normalization (Salimans & Kingma 2016), elementwise over w [K, L]:
//   w[k, j] = g[k] * v[k, j] / norm[k],   norm[k] = ||v_k|| from weightnorm_norms.comp
// Bindings: 0 v[K, L] (read), 1 g[K] (read), 2 norm[K] (read), 3 w[K, L] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Direction { float v[]; };
layout(std430, binding = 1) readonly buffer Magnitude { float g[]; };
layout(std430, binding = 2) readonly buffer Norm { float norm[]; };
layout(std430, binding = 3) writeonly buffer Weight { float w[]; };

uniform int K, L;

void main() {
    int i = int(linear_index());
    if (i >= K * L) return;
    int k = i / L;
    w[i] = g[k] * v[i] / norm[k];
}

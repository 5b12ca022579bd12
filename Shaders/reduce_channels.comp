#version 430
// reduce_channels.comp — pass 1 of a per-channel sum over batch and space:
//   partial[s, c] = sum_{r in slice s} t[n, c, p],  r = n * S + p,  S = spatial size (H*W)
// then sum_partials.comp gives out[c] = sum_{n,p} t[n,c,p] (e.g. the conv bias gradient
// db[k] = sum_{n,oy,ox} dy[n,k,oy,ox]). With product == 1 it sums t * u elementwise instead.
// Bindings: 0 t[N,C,S] (read), 1 u[N,C,S] (read, only when product == 1), 2 partial[splits, C] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Values { float t[]; };
layout(std430, binding = 1) readonly buffer Factors { float u[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };

uniform int N, C, S;
uniform int splits, chunk;
uniform int product;

void main() {
    int index = int(linear_index());
    if (index >= C * splits) return;
    int c = index % C;
    int split = index / C;
    int total = N * S;
    int r0 = split * chunk;
    int r1 = min(r0 + chunk, total);
    float acc = 0.0;
    for (int r = r0; r < r1; r++) {
        int n = r / S;
        int p = r - n * S;
        int o = (n * C + c) * S + p;
        acc += product != 0 ? t[o] * u[o] : t[o];
    }
    partial[split * C + c] = acc;
}

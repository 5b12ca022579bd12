#version 430
// batchnorm_backward_reduce.comp — pass 1 of the two per-channel sums batch-norm backward needs,
// split over the M = N * S values of each channel (r = n * S + p):
//   partialDy[s, c]     = sum_{r in s} dy[n,c,p]                  -> dbeta[c]  = sum dy
//   partialDyXhat[s, c] = sum_{r in s} dy[n,c,p] * xhat[n,c,p]    -> dgamma[c] = sum dy * xhat
// sum_partials.comp finishes both. One pass reads dy and xhat once for both sums.
// Bindings: 0 dy[N,C,S] (read), 1 xhat[N,C,S] (read), 2 partialDy[splits, C] (write), 3 partialDyXhat[splits, C] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer Normalized { float xhat[]; };
layout(std430, binding = 2) writeonly buffer PartialDy { float partialDy[]; };
layout(std430, binding = 3) writeonly buffer PartialDyXhat { float partialDyXhat[]; };

uniform int N, C, S;
uniform int splits, chunk;

void main() {
    int index = int(linear_index());
    if (index >= C * splits) return;
    int c = index % C;
    int split = index / C;
    int r0 = split * chunk;
    int r1 = min(r0 + chunk, N * S);
    float sumDy = 0.0, sumDyXhat = 0.0;
    for (int r = r0; r < r1; r++) {
        int n = r / S;
        int o = (n * C + c) * S + (r - n * S);
        float g = dy[o];
        sumDy += g;
        sumDyXhat += g * xhat[o];
    }
    partialDy[split * C + c] = sumDy;
    partialDyXhat[split * C + c] = sumDyXhat;
}

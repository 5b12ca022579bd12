#version 430
// softmax_cross_entropy_backward.comp — gradient of the per-sample cross-entropy with respect to the
// logits, one invocation per sample n (p = softmax(x[n,:]) computed stably as in the forward):
//   hard label y:   loss = logsumexp(x) - x_y                 =>  dx_k = p_k - [k == y]
//   soft targets t: loss = sum_j t_j (logsumexp(x) - x_j)     =>  dx_k = p_k * sum_j t_j - t_k
// dx = beta * dx + scale * result (scale = upstream factor / N for the mean; beta 0 overwrites, 1 accumulates).
// Bindings: 0 x[N,K] (read), 1 labels int[N] (read, hard mode), 2 t[N,K] (read, soft mode), 3 dx[N,K] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Logits { float x[]; };
layout(std430, binding = 1) readonly buffer Labels { int labels[]; };
layout(std430, binding = 2) readonly buffer Targets { float t[]; };
layout(std430, binding = 3) buffer GradLogits { float dx[]; };

uniform int N, K;
uniform int softTargets;
uniform float scale, beta;

void main() {
    int n = int(linear_index());
    if (n >= N) return;
    int row = n * K;
    float m = x[row];
    for (int k = 1; k < K; k++) m = max(m, x[row + k]);
    float s = 0.0;
    for (int k = 0; k < K; k++) s += exp(x[row + k] - m);
    float invS = 1.0 / s;
    float targetSum = 1.0;
    if (softTargets != 0) {
        targetSum = 0.0;
        for (int k = 0; k < K; k++) targetSum += t[row + k];
    }
    int label = softTargets != 0 ? -1 : labels[n];
    for (int k = 0; k < K; k++) {
        float p = exp(x[row + k] - m) * invS;
        float g = softTargets != 0 ? p * targetSum - t[row + k] : p - (k == label ? 1.0 : 0.0);
        dx[row + k] = (beta != 0.0 ? beta * dx[row + k] : 0.0) + scale * g;
    }
}

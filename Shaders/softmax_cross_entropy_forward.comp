#version 430
// softmax_cross_entropy_forward.comp — per-sample softmax cross-entropy of logits x[N,K], stable
// (log-sum-exp with the row maximum subtracted, so logits of 1e4 stay finite):
//   m = max_k x[n,k],  logS = log(sum_k exp(x[n,k] - m))     (log-sum-exp = m + logS)
//   hard label y:   loss[n] = -log softmax(x)[n,y] = logS - (x[n,y] - m)
//   soft targets t: loss[n] = -sum_k t[n,k] log softmax(x)[n,k] = sum_k t[n,k] * (logS - (x[n,k] - m))
// Writes scale * loss[n] (scale = 1/N for the mean); a split reduction then sums them.
// A label outside [0,K) (validated on the CPU before this runs) yields NaN rather than a wrong value.
// Bindings: 0 x[N,K] (read), 1 labels int[N] (read, hard mode), 2 t[N,K] (read, soft mode), 3 loss[N] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Logits { float x[]; };
layout(std430, binding = 1) readonly buffer Labels { int labels[]; };
layout(std430, binding = 2) readonly buffer Targets { float t[]; };
layout(std430, binding = 3) writeonly buffer Losses { float losses[]; };

uniform int N, K;
uniform int softTargets;   // 1: read t, else labels
uniform float scale;

void main() {
    int n = int(linear_index());
    if (n >= N) return;
    int row = n * K;
    float m = x[row];
    for (int k = 1; k < K; k++) m = max(m, x[row + k]);
    float s = 0.0;
    for (int k = 0; k < K; k++) s += exp(x[row + k] - m);
    float logS = log(s);
    float loss;
    if (softTargets != 0) {
        loss = 0.0;
        for (int k = 0; k < K; k++) loss += t[row + k] * (logS - (x[row + k] - m));
    } else {
        int label = labels[n];
        loss = (label >= 0 && label < K) ? logS - (x[row + label] - m) : uintBitsToFloat(0x7fc00000u);
    }
    losses[n] = scale * loss;
}

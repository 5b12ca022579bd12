#version 430
// prelu_backward.comp — gradients of y = x > 0 ? x : a[c] * x (prelu_forward.comp):
//   dx[i]    = beta * dx[i] + (x > 0 ? dy : a[c] * dy)
//   terms[i] = dy * (x < 0 ? x : 0)      the summands of dL/da[c] = sum_{n,p} dy[n,c,p] * min(x[n,c,p], 0)
// The host sums terms per slope with ChannelReduction (terms viewed as [N, slopeCount, count / (N*slopeCount)]:
// for a shared slope the whole C*S block of a sample is one "channel", with the same flat order).
// Bindings: 0 x[N,C,S] (read), 1 a[slopeCount] (read), 2 dy[N,C,S] (read), 3 dx[N,C,S] (read-write),
//           4 terms[N*C*S] (write, only when writeTerms == 1).
// beta = 0 overwrites dx (NaN included), 1 accumulates.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Slope { float a[]; };
layout(std430, binding = 2) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 3) buffer GradInput { float dx[]; };
layout(std430, binding = 4) writeonly buffer SlopeTerms { float terms[]; };

uniform int count;
uniform int C, S;
uniform int slopeCount;
uniform float beta;
uniform int writeTerms;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int c = slopeCount == 1 ? 0 : (i / S) % C;
    float v = x[i];
    float g = dy[i];
    dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + (v > 0.0 ? g : a[c] * g);
    if (writeTerms != 0) terms[i] = v < 0.0 ? g * v : 0.0;
}

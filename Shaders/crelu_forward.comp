#version 430
// crelu_forward.comp — concatenated ReLU (Shang et al. 2016): y = concat(relu(x), relu(-x)) along channels.
//   y[n, c,     p] = max(x[n,c,p], 0)
//   y[n, C + c, p] = max(-x[n,c,p], 0)          for c < C
// Bindings: 0 x[N,C,S] (read), 1 y[N,2C,S] (write). S = everything after the channel axis (H*W).
// One invocation per input element i = (n*C + c)*S + p writes both of its outputs.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };

uniform int count;   // N * C * S
uniform int C, S;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    int p = i % S;
    int nc = i / S;
    int c = nc % C;
    int n = nc / C;
    float v = x[i];
    int positive = (n * 2 * C + c) * S + p;
    y[positive] = v > 0.0 ? v : 0.0;
    y[positive + C * S] = v < 0.0 ? -v : 0.0;
}

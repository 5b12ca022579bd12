#version 430
// elementwise_loss_backward.comp — gradient of the per-element losses with respect to the input x:
//   kind 0, BCE with logits:  l = max(x,0) - x*t + log(1 + exp(-|x|))  =>  dl/dx = sigmoid(x) - t
//   kind 1, squared error:    l = (x - t)^2                            =>  dl/dx = 2 (x - t)
//   kind 2, KL divergence:    l = t * (log t - x)                      =>  dl/dx = -t
// dx = beta * dx + scale * dl/dx (scale = upstream factor / count for a mean; beta 0 overwrites, 1 accumulates).
// Bindings: 0 x (read), 1 t (read), 2 dx (read-write), all `count` floats.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Target { float t[]; };
layout(std430, binding = 2) buffer GradInput { float dx[]; };

uniform int count;
uniform int kind;
uniform float scale, beta;

// sigmoid without overflow: exp of a non-positive number only.
float stable_sigmoid(float v) {
    float e = exp(-abs(v));
    return v >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    float xv = x[i], tv = t[i];
    float g;
    if (kind == 0) g = stable_sigmoid(xv) - tv;
    else if (kind == 1) g = 2.0 * (xv - tv);
    else g = -tv;
    dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + scale * g;
}

#version 430
// activation_backward.comp — gradient of y[i] = f(x[i]) (activation_forward.comp):
//   dx[i] = beta * dx[i] + dy[i] * f'(x[i])
// Bindings: 0 x[count] (read, the forward input), 1 y[count] (read, the forward output; Sigmoid and
//           Tanh differentiate through it), 2 dy[count] (read), 3 dx[count] (read-write).
// f' is activation_slope() in activations.glsl, selected by the same ACTIVATION_<KIND> define;
// RRelu / NoisyRelu recompute the forward's slope / noise from (act_seed, i).
// beta = 0 overwrites dx (whatever it held, NaN included), 1 accumulates (a tensor feeding several layers).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "activations.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Output { float y[]; };
layout(std430, binding = 2) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 3) buffer GradInput { float dx[]; };

uniform int count;
uniform float beta;

void main() {
    uint i = linear_index();
    if (i >= uint(count)) return;
    float gradient = dy[i] * activation_slope(x[i], y[i], i);
    dx[i] = (beta != 0.0 ? beta * dx[i] : 0.0) + gradient;
}

#version 430
// optimizer_advance.comp — advances the per-parameter update counters of an optimizer on the GPU, once per
// step, before the parameters' *_step.comp kernels run. One invocation per parameter slot s:
//   if trained[s] == 1 and the step is accepted (status[2] != 0):  steps[s] += 1
//   with t = steps[s]:  bias[2s] = 1 / (1 - beta1^t),  bias[2s + 1] = 1 / sqrt(1 - beta2^t)
// (Adam's bias corrections; beta^t by binary exponentiation in double, as the host's Math.Pow would give;
// with betas 0 both are 1). A rejected step leaves every counter as it was, so the next accepted step
// continues the parameter's own sequence t = 1, 2, 3, ...
// Bindings: 0 steps int[slots] (read-write), 1 trained int[slots] (read), 2 status[3] (read),
//           3 bias[2 * slots] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) buffer Steps { int steps[]; };
layout(std430, binding = 1) readonly buffer Trained { int trained[]; };
layout(std430, binding = 2) readonly buffer Status { float status[]; };
layout(std430, binding = 3) writeonly buffer BiasCorrection { float bias[]; };

uniform int slots;
uniform float beta1, beta2;

// b^e for e >= 0 in double (square and multiply).
double power(double b, int e) {
    double result = 1.0LF;
    while (e > 0) {
        if ((e & 1) != 0) result *= b;
        b *= b;
        e >>= 1;
    }
    return result;
}

void main() {
    int s = int(linear_index());
    if (s >= slots) return;
    int t = steps[s];
    if (trained[s] == 1 && status[2] != 0.0) {
        t += 1;
        steps[s] = t;
    }
    double bias1 = 1.0LF - power(double(beta1), t);
    double bias2 = 1.0LF - power(double(beta2), t);
    bias[2 * s] = t > 0 && bias1 > 0.0LF ? float(1.0LF / bias1) : 1.0;
    bias[2 * s + 1] = t > 0 && bias2 > 0.0LF ? float(1.0LF / sqrt(bias2)) : 1.0;
}

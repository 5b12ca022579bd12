#version 430
// batchnorm_inverse_std.comp — inverseStd[c] = 1 / sqrt(runningVar[c] + eps): the per-channel scale of
// inference mode, where batch norm is the affine map y = gamma * (x - runningMean) * inverseStd + beta.
// Bindings: 0 runningVar[C] (read), 1 inverseStd[C] (write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer RunningVar { float runningVar[]; };
layout(std430, binding = 1) writeonly buffer InverseStd { float inverseStd[]; };

uniform int C;
uniform float eps;

void main() {
    int c = int(linear_index());
    if (c >= C) return;
    inverseStd[c] = 1.0 / sqrt(runningVar[c] + eps);
}

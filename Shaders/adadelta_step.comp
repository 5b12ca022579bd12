#version 430
// adadelta_step.comp — one Adadelta step (PyTorch torch.optim.Adadelta; lr multiplies the step, default 1).
// With g = clip(grad) + l2 * w + l1 * sign(w)   (optimizer_common.glsl):
//   E[g^2]  = rho * E[g^2] + (1 - rho) * g^2
//   dx      = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g      (E[dx^2] of the previous steps)
//   E[dx^2] = rho * E[dx^2] + (1 - rho) * dx^2
//   w      -= lr * dx
// Bindings: 0-2 see optimizer_common.glsl; 3 E[g^2] square_avg; 4 E[dx^2] acc_delta. Both read-write, [count].
layout(local_size_x = 64) in;
#include "common.glsl"
#include "optimizer_common.glsl"
layout(std430, binding = 3) buffer SquareAverage { float square_avg[]; };
layout(std430, binding = 4) buffer DeltaAverage { float acc_delta[]; };
uniform float rho, eps;

void main() {
    int i = int(linear_index());
    if (i >= count || step_rejected(i)) return;
    float weight = w[i];
    float g = take_clipped_gradient(i) + penalty_gradient(weight);
    float sq = rho * square_avg[i] + (1.0 - rho) * g * g;
    square_avg[i] = sq;
    float acc = acc_delta[i];
    float delta = sqrt(acc + eps) / sqrt(sq + eps) * g;
    acc_delta[i] = rho * acc + (1.0 - rho) * delta * delta;
    w[i] = weight - lr * delta;
}

#version 430
// adam_step.comp — one Adam / AdamW step (PyTorch torch.optim.Adam / AdamW), bias-corrected.
// Adam (coupled):       g = clip(grad) + l2 * w + l1 * sign(w)          (classic L2 through the moments)
// AdamW (DECOUPLED):    w -= lr * (l2 * w + l1 * sign(w));  g = clip(grad)   (decay bypasses the moments)
// then, with t = this parameter's step (1 on its first update):
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   AMSGRAD: v_max = max(v_max, v), and v_max replaces v below
//   w -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// t lives on the GPU (a rejected step does not advance it): optimizer_advance.comp leaves
// bias[2 * slot] = 1 / (1 - beta1^t) and bias[2 * slot + 1] = 1 / sqrt(1 - beta2^t), computed in double.
// Bindings: 0-2 see optimizer_common.glsl; 3 m exp_avg; 4 v exp_avg_sq; 5 v_max max_exp_avg_sq (AMSGRAD),
// all read-write [count]; 6 bias[2 * parameters] (read).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "optimizer_common.glsl"
layout(std430, binding = 3) buffer FirstMoment { float exp_avg[]; };
layout(std430, binding = 4) buffer SecondMoment { float exp_avg_sq[]; };
#ifdef AMSGRAD
layout(std430, binding = 5) buffer MaxSecondMoment { float max_exp_avg_sq[]; };
#endif
uniform float beta1, beta2, eps;
layout(std430, binding = 6) readonly buffer BiasCorrection { float bias[]; };
uniform int slot; // this parameter's index in the optimizer

void main() {
    int i = int(linear_index());
    if (i >= count || step_rejected(i)) return;
    float step_size = lr * bias[2 * slot], inv_sqrt_bias2 = bias[2 * slot + 1];
    float weight = w[i];
#ifdef DECOUPLED
    weight -= lr * penalty_gradient(weight);
    float g = take_clipped_gradient(i);
#else
    float g = take_clipped_gradient(i) + penalty_gradient(weight);
#endif
    float m = beta1 * exp_avg[i] + (1.0 - beta1) * g;
    float v = beta2 * exp_avg_sq[i] + (1.0 - beta2) * g * g;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
#ifdef AMSGRAD
    v = max(max_exp_avg_sq[i], v);
    max_exp_avg_sq[i] = v;
#endif
    w[i] = weight - step_size * m / (sqrt(v) * inv_sqrt_bias2 + eps);
}

#version 430
// rmsprop_step.comp — one RMSprop step (PyTorch torch.optim.RMSprop conventions).
// With g = clip(grad) + l2 * w + l1 * sign(w)   (optimizer_common.glsl):
//   E[g^2] = alpha * E[g^2] + (1 - alpha) * g^2
//   CENTERED: E[g] = alpha * E[g] + (1 - alpha) * g;  avg = sqrt(max(E[g^2] - E[g]^2, 0)) + eps
//   else:                                              avg = sqrt(E[g^2]) + eps
//   MOMENTUM: b = mu * b + g / avg;  w -= lr * b
//   else:     w -= lr * g / avg
// Bindings: 0-2 see optimizer_common.glsl; 3 E[g^2] square_avg; 4 b momentum_buffer (MOMENTUM);
// 5 E[g] grad_avg (CENTERED). All read-write, [count].
layout(local_size_x = 64) in;
#include "common.glsl"
#include "optimizer_common.glsl"
layout(std430, binding = 3) buffer SquareAverage { float square_avg[]; };
#ifdef MOMENTUM
layout(std430, binding = 4) buffer MomentumBuffer { float momentum_buffer[]; };
uniform float momentum;
#endif
#ifdef CENTERED
layout(std430, binding = 5) buffer GradientAverage { float grad_avg[]; };
#endif
uniform float alpha, eps;

void main() {
    int i = int(linear_index());
    if (i >= count || step_rejected(i)) return;
    float weight = w[i];
    float g = take_clipped_gradient(i) + penalty_gradient(weight);
    float sq = alpha * square_avg[i] + (1.0 - alpha) * g * g;
    square_avg[i] = sq;
#ifdef CENTERED
    float mean = alpha * grad_avg[i] + (1.0 - alpha) * g;
    grad_avg[i] = mean;
    float avg = sqrt(max(sq - mean * mean, 0.0)) + eps;
#else
    float avg = sqrt(sq) + eps;
#endif
#ifdef MOMENTUM
    float b = momentum * momentum_buffer[i] + g / avg;
    momentum_buffer[i] = b;
    w[i] = weight - lr * b;
#else
    w[i] = weight - lr * g / avg;
#endif
}

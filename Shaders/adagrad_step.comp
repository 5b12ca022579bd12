#version 430
// adagrad_step.comp — one Adagrad step (PyTorch torch.optim.Adagrad, lr_decay 0, initial accumulator 0).
// With g = clip(grad) + l2 * w + l1 * sign(w)   (optimizer_common.glsl):
//   G += g^2                              (sum of squared gradients, per element)
//   w -= lr * g / (sqrt(G) + eps)
// Bindings: 0-2 see optimizer_common.glsl; 3 G[count] sum (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "optimizer_common.glsl"
layout(std430, binding = 3) buffer SquaredSum { float squared_sum[]; };
uniform float eps;

void main() {
    int i = int(linear_index());
    if (i >= count || step_rejected(i)) return;
    float weight = w[i];
    float g = take_clipped_gradient(i) + penalty_gradient(weight);
    float sum = squared_sum[i] + g * g;
    squared_sum[i] = sum;
    w[i] = weight - lr * g / (sqrt(sum) + eps);
}

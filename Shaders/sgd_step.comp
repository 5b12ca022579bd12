#version 430
// sgd_step.comp — one (mini-batch) SGD step for one parameter, PyTorch torch.optim.SGD conventions
// (dampening 0). With g = clip(grad) + l2 * w + l1 * sign(w)   (optimizer_common.glsl):
//   plain:               w -= lr * g
//   MOMENTUM (heavy ball): v = mu * v + g;   w -= lr * v                 (v starts at 0, so v_1 = g)
//   NESTEROV:             v = mu * v + g;   w -= lr * (g + mu * v)      (look-ahead form)
// Bindings: 0-2 see optimizer_common.glsl; 3 v[count] momentum_buffer (read-write; MOMENTUM or NESTEROV).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "optimizer_common.glsl"

#if defined(MOMENTUM) || defined(NESTEROV)
layout(std430, binding = 3) buffer Velocity { float v[]; };
uniform float momentum;
#endif

void main() {
    int i = int(linear_index());
    if (i >= count || step_rejected(i)) return;
    float weight = w[i];
    float g = take_clipped_gradient(i) + penalty_gradient(weight);
#if defined(NESTEROV)
    float velocity = momentum * v[i] + g;
    v[i] = velocity;
    weight -= lr * (g + momentum * velocity);
#elif defined(MOMENTUM)
    float velocity = momentum * v[i] + g;
    v[i] = velocity;
    weight -= lr * velocity;
#else
    weight -= lr * g;
#endif
    w[i] = weight;
}

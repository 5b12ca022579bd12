// optimizer_common.glsl — bindings, uniforms and gradient preparation shared by every *_step.comp.
// Include after common.glsl. Bindings:
//   0 w[count]     parameter values (read-write)
//   1 grad[count]  gradients (read, then zeroed: the optimizer owns zeroing)
//   2 clip[3]      the step status: [global-norm scale, norm, accepted] from grad_norm_scale.comp
//                  ([1, 0, 1] when the step is neither clipped by norm nor guarded)
// State tensors of the algorithm start at binding 3.
// A rejected step (accepted == 0: a guarded step whose loss or gradients were not finite) only
// zeroes the gradient: every kernel calls step_rejected(i) first and returns when it is true.
layout(std430, binding = 0) buffer Weights { float w[]; };
layout(std430, binding = 1) buffer Gradients { float grad[]; };
layout(std430, binding = 2) readonly buffer ClipScale { float clip[]; };

uniform int count;
uniform float lr;          // learning rate * the parameter's LearningRateScale
uniform float clip_value;  // > 0: clamp gradients to [-clip_value, clip_value]; 0: off
uniform float l1, l2;      // penalties; 0 for parameters with DecayWeights = false

// True when the step was rejected on the GPU; the gradient is zeroed and nothing else changes.
bool step_rejected(int i) {
    if (clip[2] != 0.0) return false;
    grad[i] = 0.0;
    return true;
}

// The raw gradient after clipping, zeroing it in memory:
//   g = clamp(grad[i] * clip[0], -clip_value, clip_value)
float take_clipped_gradient(int i) {
    float g = grad[i] * clip[0];
    grad[i] = 0.0;
    if (clip_value > 0.0) g = clamp(g, -clip_value, clip_value);
    return g;
}

// Gradient of the penalty R(w) = l1 * |w| + (l2 / 2) * w^2:  l2 * w + l1 * sign(w).
float penalty_gradient(float weight) {
    return l2 * weight + l1 * sign(weight);
}

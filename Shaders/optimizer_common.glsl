// optimizer_common.glsl — bindings, uniforms and gradient preparation shared by every *_step.comp.
// Include after common.glsl. Bindings:
//   0 w[count]     parameter values (read-write)
//   1 grad[count]  gradients (read, then zeroed: the optimizer owns zeroing)
//   2 clip[2]      [global-norm scale, norm] from grad_norm_scale.comp ([1, 0] when not clipping by norm)
// State tensors of the algorithm start at binding 3.
layout(std430, binding = 0) buffer Weights { float w[]; };
layout(std430, binding = 1) buffer Gradients { float grad[]; };
layout(std430, binding = 2) readonly buffer ClipScale { float clip[]; };

uniform int count;
uniform float lr;          // learning rate * the parameter's LearningRateScale
uniform float clip_value;  // > 0: clamp gradients to [-clip_value, clip_value]; 0: off
uniform float l1, l2;      // penalties; 0 for parameters with DecayWeights = false

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

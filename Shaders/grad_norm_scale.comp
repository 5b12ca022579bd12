#version 430
// grad_norm_scale.comp — pass 2 of the global gradient norm; one work group of 256:
//   norm  = sqrt(sum_k partial[k]),  k < partial_count
//   scale = min(1, max_norm / (norm + 1e-6))        (PyTorch clip_grad_norm_; NaN norm gives NaN scale: an unguarded step applies it)
//   accepted = 1 unless guarded == 1 and (norm or, when check_loss == 1, loss[0]) is NaN/Inf (Optimizer.GuardedStep);
//              a plain Step() clipping by norm is never rejected here
//   result = [scale, norm, accepted]; the *_step.comp kernels multiply every gradient by result[0] and,
//   when accepted is 0 (a guarded step with a NaN/Inf loss or gradient), only zero the gradients.
// Bindings: 0 partial[partial_count] (read), 1 result[3] (write), 2 loss[1] (read when check_loss == 1).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) writeonly buffer Result { float result[]; };
layout(std430, binding = 2) readonly buffer Loss { float loss[]; };

uniform int partial_count;
uniform float max_norm;
uniform int check_loss;
uniform int guarded;

bool finite(float x) { return !isnan(x) && !isinf(x); }

shared float sums[256];

void main() {
    uint t = gl_LocalInvocationID.x;
    float sum = 0.0;
    for (int k = int(t); k < partial_count; k += 256) sum += partial[k];
    sums[t] = sum;
    barrier();
    for (uint stride = 128u; stride > 0u; stride >>= 1u) {
        if (t < stride) sums[t] += sums[t + stride];
        barrier();
    }
    if (t == 0u) {
        float norm = sqrt(sums[0]);
        result[0] = isnan(norm) ? norm : min(1.0, max_norm / (norm + 1e-6));
        result[1] = norm;
        result[2] = guarded == 0 || (finite(norm) && (check_loss == 0 || finite(loss[0]))) ? 1.0 : 0.0;
    }
}

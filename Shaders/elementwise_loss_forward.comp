#version 430
// elementwise_loss_forward.comp — per-element losses of input x against target t (same shape),
// each multiplied by scale (1/count for a mean); a split reduction then sums them.
//   kind 0, binary cross-entropy with logits, stable for any |x|:
//       l = -[t log sigmoid(x) + (1-t) log(1 - sigmoid(x))] = max(x,0) - x*t + log(1 + exp(-|x|))
//   kind 1, squared error:  l = (x - t)^2
//   kind 2, KL divergence with x = log q (PyTorch KLDivLoss): l = t * (log t - x), and 0 where t == 0
// Bindings: 0 x (read), 1 t (read), 2 loss (write), all `count` floats.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Target { float t[]; };
layout(std430, binding = 2) writeonly buffer Losses { float losses[]; };

uniform int count;
uniform int kind;
uniform float scale;

// log(1 + u) for u in [0, 1], accurate when u is tiny (GLSL has no log1p).
float log1p_small(float u) {
    return u < 1e-4 ? u * (1.0 - 0.5 * u) : log(1.0 + u);
}

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    float xv = x[i], tv = t[i];
    float l;
    if (kind == 0) l = max(xv, 0.0) - xv * tv + log1p_small(exp(-abs(xv)));
    else if (kind == 1) l = (xv - tv) * (xv - tv);
    else l = tv > 0.0 ? tv * (log(tv) - xv) : 0.0;
    losses[i] = scale * l;
}

#version 430
// transpose_batch_channels.comp — swaps the two leading axes of a [A, B, P] tensor: dst[b, a, p] = src[a, b, p].
// (NCHW [N, C, H*W] -> [C, N, H*W]; calling it again with A and B swapped undoes it.) Used to lay a pointwise
// convolution's samples side by side so a GEMM's reduction over (n, p) is one contiguous, vec4-loadable axis.
// Bindings: 0 src[A*B*P] (read; R32F texel buffer xTex under TEX_LOADS), 1 dst[B*A*P] (read-write; beta 0 overwrites),
//           4 activation output a[B*A*P] (read, EPILOGUE 2 only: a pointwise conv's input gradient rows going back
//           to NCHW are multiplied by a clamp activation's derivative, dst = beta * dst + src * act'; conv_epilogue.glsl).
// One invocation copies one row of P elements (one division per row, not per element).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "conv_epilogue.glsl"
layout(std430, binding = 0) readonly buffer Source { float x[]; };
layout(std430, binding = 1) buffer Destination { float dst[]; };
#include "texel_loads.glsl"

uniform int A, B, P;
uniform float beta;

void main() {
    int row = int(linear_index());
    if (row >= A * B) return;
    int a = row / B;
    int b = row - a * B;
    int from = row * P, to = (b * A + a) * P;
    if (beta != 0.0) {
        for (int p = 0; p < P; p++) dst[to + p] = beta * dst[to + p] + epilogue(LOAD_X(from + p), to + p);
    } else {
        for (int p = 0; p < P; p++) dst[to + p] = epilogue(LOAD_X(from + p), to + p);
    }
}

#version 430
// elementwise_backward.comp — gradient of a broadcasting binary op with respect to one operand T (a or b),
// reduced over the axes along which T was broadcast (no atomics: a split reduction).
// Bindings: 0 dy[outDims] (read), 1 a (read), 2 b (read), 3 result (read-write): the gradient of T, or
//           partial[splits, targetCount] when splits > 1 (then sum_partials.comp finishes the sum).
// Forward:  y[o] = a[o . aStride] (op) b[o . bStride]
// So:       dT[t] = sum over output coordinates o that read T[t] of g(o), where by `kind`
//             0: g = scale * dy            (add: +dy for a and b; sub: +dy for a, -dy for b)
//             1: g = dy * b                (mul, wrt a: d(a*b)/da = b)
//             2: g = dy * a                (mul, wrt b)
//             3: g = dy / b                (div, wrt a: d(a/b)/da = 1/b)
//             4: g = -dy * a / (b * b)     (div, wrt b: d(a/b)/db = -a/b^2)
//             5: g = dy * (a >= b)         (max, wrt a: the larger operand takes the gradient, a on ties)
//             6: g = dy * (a < b)          (max, wrt b)
//             7: g = dy * (a <= b)         (min, wrt a: the smaller operand takes it, a on ties)
//             8: g = dy * (a > b)          (min, wrt b)
//             9: g = dy * b * a^(b-1)      (pow, wrt a)
//            10: g = dy * a^b * ln(a)      (pow, wrt b; 0 where a = 0 and b >= 0, as PyTorch)
// Those o are o = t + r: T's coordinate t (0 along its broadcast axes) plus r, which runs over the broadcast
// axes only (reduceDim = outDim there, 1 elsewhere); r in [split*chunk, min((split+1)*chunk, reduceCount)).
// result = beta * result + sum (beta is 0 whenever partials are written).
layout(local_size_x = 64) in;
#include "common.glsl"
#include "broadcast_index.glsl"
#include "binary_pow.glsl"
layout(std430, binding = 0) readonly buffer GradOutput { float dy[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) buffer Result { float result[]; };

uniform int outDim0, outDim1, outDim2, outDim3;
uniform int targetDim0, targetDim1, targetDim2, targetDim3;
uniform int aStride0, aStride1, aStride2, aStride3;
uniform int bStride0, bStride1, bStride2, bStride3;
uniform int targetCount, reduceCount;
uniform int splits, chunk;
uniform int kind;
uniform float scale, beta;

void main() {
    int index = int(linear_index());
    if (index >= targetCount * splits) return;
    int t = index % targetCount;
    int split = index / targetCount;
    ivec4 outDims = ivec4(outDim0, outDim1, outDim2, outDim3);
    ivec4 targetDims = ivec4(targetDim0, targetDim1, targetDim2, targetDim3);
    ivec4 reduceDims = ivec4(targetDims.x == 1 ? outDims.x : 1, targetDims.y == 1 ? outDims.y : 1,
                             targetDims.z == 1 ? outDims.z : 1, targetDims.w == 1 ? outDims.w : 1);
    ivec4 outStrides = ivec4(outDims.y * outDims.z * outDims.w, outDims.z * outDims.w, outDims.w, 1);
    ivec4 aStrides = ivec4(aStride0, aStride1, aStride2, aStride3);
    ivec4 bStrides = ivec4(bStride0, bStride1, bStride2, bStride3);
    ivec4 tc = broadcast_coordinate(t, targetDims);

    int r1 = min(split * chunk + chunk, reduceCount);
    float acc = 0.0;
    for (int r = split * chunk; r < r1; r++) {
        ivec4 o = tc + broadcast_coordinate(r, reduceDims);
        float g = dy[broadcast_offset(o, outStrides)];
        if (kind == 0) {
            g *= scale;
        } else if (kind == 1) {
            g *= b[broadcast_offset(o, bStrides)];
        } else if (kind == 2) {
            g *= a[broadcast_offset(o, aStrides)];
        } else if (kind == 3) {
            g /= b[broadcast_offset(o, bStrides)];
        } else if (kind == 4) {
            float bv = b[broadcast_offset(o, bStrides)];
            g = -g * a[broadcast_offset(o, aStrides)] / (bv * bv);
        } else {
            float av = a[broadcast_offset(o, aStrides)];
            float bv = b[broadcast_offset(o, bStrides)];
            if (kind == 5) g = av >= bv ? g : 0.0;
            else if (kind == 6) g = av < bv ? g : 0.0;
            else if (kind == 7) g = av <= bv ? g : 0.0;
            else if (kind == 8) g = av > bv ? g : 0.0;
            else if (kind == 9) g *= bv * binary_pow(av, bv - 1.0);
            else g = (av == 0.0 && bv >= 0.0) ? 0.0 : g * binary_pow(av, bv) * log(av);
        }
        acc += g;
    }
    int slot = split * targetCount + t;
    result[slot] = (beta != 0.0 ? beta * result[slot] : 0.0) + acc;
}

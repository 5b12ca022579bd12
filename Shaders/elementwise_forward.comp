#version 430
// elementwise_forward.comp — binary elementwise op with NumPy/ONNX broadcasting (rank <= 4).
// Bindings: 0 a (read), 1 b (read), 2 y[outDim0..3] (write).
// Maths: y[o] = a[o . aStride] (op) b[o . bStride] for every 4-D output coordinate o, op = + - * / max min pow
//        (`op` 0..6, the BinaryOperator enum); a stride of 0 repeats the operand along that axis.
layout(local_size_x = 64) in;
#include "common.glsl"
#include "broadcast_index.glsl"
#include "binary_pow.glsl"
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

uniform int outDim0, outDim1, outDim2, outDim3;
uniform int aStride0, aStride1, aStride2, aStride3;
uniform int bStride0, bStride1, bStride2, bStride3;
uniform int count;
uniform int op;

void main() {
    int i = int(linear_index());
    if (i >= count) return;
    ivec4 o = broadcast_coordinate(i, ivec4(outDim0, outDim1, outDim2, outDim3));
    float av = a[broadcast_offset(o, ivec4(aStride0, aStride1, aStride2, aStride3))];
    float bv = b[broadcast_offset(o, ivec4(bStride0, bStride1, bStride2, bStride3))];
    float r;
    if (op == 0) r = av + bv;
    else if (op == 1) r = av - bv;
    else if (op == 2) r = av * bv;
    else if (op == 3) r = av / bv;
    else if (op == 4) r = max(av, bv);
    else if (op == 5) r = min(av, bv);
    else r = binary_pow(av, bv);
    y[i] = r;
}

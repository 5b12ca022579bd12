#version 430
// fma_peak.comp — measures the renderer's multiply-add throughput for the benchmark's "peak" line.
// Binding: 0 sink[invocations] (write; keeps the compiler from removing the work).
// Each invocation runs `iterations` rounds over 8 independent vec4 accumulators:
//   a_i = a_i * m + c   ->  8 accumulators * 4 lanes * 2 flops = 64 flops per round.
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) writeonly buffer Sink { float sink[]; };
uniform int iterations;
uniform float multiplier, addend;

void main() {
    uint index = linear_index();
    vec4 seed = vec4(float(index & 7u)) * 1e-3;
    vec4 a0 = seed + 0.1, a1 = seed + 0.2, a2 = seed + 0.3, a3 = seed + 0.4;
    vec4 a4 = seed + 0.5, a5 = seed + 0.6, a6 = seed + 0.7, a7 = seed + 0.8;
    vec4 m = vec4(multiplier), c = vec4(addend);
    for (int i = 0; i < iterations; i++) {
        a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c);
        a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    }
    vec4 s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7);
    sink[index] = s.x + s.y + s.z + s.w;
}

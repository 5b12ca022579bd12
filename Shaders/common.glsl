// Include after the layout(local_size_x...) declaration: linear_index() reads gl_WorkGroupSize.
// common.glsl — helpers shared by every kernel.
// Linear kernels are dispatched with ComputeProgram.DispatchLinear: groups spill from x into y
// when the count exceeds the driver's per-dimension limit, so the flat index is
//   gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x).
uint linear_index() {
    return gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x);
}

// Counter-based random numbers (seed, index) -> uniform [0,1): the same function exists in C#
// (Engine/Random/CounterRandom.cs) so masks and noise are reproducible and checkable on the CPU.
// PCG-style integer hash (Jarzynski & Olano 2020, "Hash Functions for GPU Rendering").
uint pcg_hash(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

// Uniform float in [0,1) with 24 random bits for element `index` of stream `seed`.
float random_uniform(uint seed, uint index) {
    uint h = pcg_hash(index ^ pcg_hash(seed));
    return float(h >> 8u) * (1.0 / 16777216.0);
}

// Standard normal sample (Box-Muller on two uniform streams) for element `index` of stream `seed`.
float random_normal(uint seed, uint index) {
    float u1 = max(random_uniform(seed, 2u * index), 1.0 / 16777216.0);
    float u2 = random_uniform(seed, 2u * index + 1u);
    return sqrt(-2.0 * log(u1)) * cos(6.28318530718 * u2);
}

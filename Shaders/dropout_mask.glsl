// dropout_mask.glsl — keep/drop decisions of dropout and DropConnect (include after common.glsl).
// Mirror of Engine/Ops/DropoutMask.cs: element `index` of stream `seed` is kept when
// random_uniform(seed, index) >= p, so P(keep) = 1 - p; kept values are scaled by 1 / (1 - p).
bool dropout_keep(uint seed, uint index, float p) {
    return random_uniform(seed, index) >= p;
}

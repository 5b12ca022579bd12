// pad2d_index.glsl — index arithmetic of Pad2d along one axis, shared by pad2d_forward.comp and pad2d_backward.comp.
// mode: 0 constant, 1 reflect, 2 edge (the PadMode enum). `before` is the padding at the start of the axis
// (negative = crop), `size` the input length, output position o reads input r = o - before mapped by the mode.

// Source of output position o: reflect mirrors once without repeating the edge ([-1] -> [1]), edge clamps.
// Constant mode leaves r as is; callers treat r outside [0, size) as the fill value.
int pad_source(int o, int before, int size, int mode) {
    int r = o - before;
    if (mode == 1) {
        if (r < 0) r = -r;
        if (r >= size) r = 2 * (size - 1) - r;
    } else if (mode == 2) {
        r = clamp(r, 0, size - 1);
    }
    return r;
}

// The output positions that read input i (for backward gathers) are among pad_candidate(i, a, ...) for
// a in [0, pad_candidate_count(...)); callers keep those inside [0, outSize) whose pad_source is i.
// Constant: i + before. Reflect: i + before and its mirror images before - i (only for i >= 1, else it is the
// same position) and before + 2*(size-1) - i (only for i <= size-2). Edge: the run lo..hi, which reaches back to
// the output's first position when i == 0 and on to its last when i == size-1.
int pad_candidate_count(int i, int before, int size, int outSize, int mode) {
    if (mode == 0) return 1;
    if (mode == 1) return 3;
    int lo = i == 0 ? 0 : i + before;
    int hi = i == size - 1 ? outSize - 1 : i + before;
    return max(0, hi - lo + 1);
}

int pad_candidate(int i, int a, int before, int size, int mode) {
    if (mode == 0) return i + before;
    if (mode == 1) {
        if (a == 0) return i + before;
        if (a == 1) return i >= 1 ? before - i : -1;
        return i <= size - 2 ? before + 2 * (size - 1) - i : -1;
    }
    return (i == 0 ? 0 : i + before) + a;
}

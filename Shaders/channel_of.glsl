// channel_of.glsl — the channel of flat element i of an [N, C, S] tensor, ((i / S) % C), without integer division:
// llvmpipe runs integer division lane by lane, which made per-channel elementwise kernels division-bound. The
// quotient is estimated in float, refined once by the remainder's own estimate (the first estimate is off by about
// 2^-22 of the quotient, so the remainder stays within a few hundred plus b, exact in float), then corrected by one
// either way: exact for 0 <= a < 2^30 and 0 < b < 2^23.
int quotient(int a, int b, float inverse_b) {
    int q = int(float(a) * inverse_b);
    q += int(float(a - q * b) * inverse_b);
    q -= q * b > a ? 1 : 0;
    q += (q + 1) * b <= a ? 1 : 0;
    return q;
}

int channel_of(int i, int S, int C, float inverse_S, float inverse_C) {
    int plane = quotient(i, S, inverse_S);
    return plane - quotient(plane, C, inverse_C) * C;
}

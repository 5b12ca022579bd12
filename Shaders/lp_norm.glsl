// lp_norm.glsl — the pieces of Lp-norm pooling, y = (sum |x|^p)^(1/p), for p >= 1 (the host checks p).
// p = 1 and p = 2 take exact paths; elsewhere pow() is only called with positive bases.

// |v|^p, and 0 at v == 0.
float lp_pow_abs(float v, float p) {
    float a = abs(v);
    if (p == 2.0) return a * a;
    if (p == 1.0) return a;
    return a == 0.0 ? 0.0 : pow(a, p);
}

// s^(1/p) for s >= 0.
float lp_root(float s, float p) {
    if (p == 2.0) return sqrt(s);
    if (p == 1.0) return s;
    return s == 0.0 ? 0.0 : pow(s, 1.0 / p);
}

// dy/dx of y = (sum |x|^p)^(1/p) for one term x:  |x|^(p-1) sign(x) / y^(p-1) = sign(x) (|x| / y)^(p-1),
// written as a ratio (<= 1) so large p does not overflow; 0 when y == 0 (every term is 0) or x == 0.
float lp_gradient(float xv, float yv, float p) {
    if (yv == 0.0 || xv == 0.0) return 0.0;
    if (p == 2.0) return xv / yv;
    if (p == 1.0) return sign(xv);
    return sign(xv) * pow(abs(xv) / yv, p - 1.0);
}

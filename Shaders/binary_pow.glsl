// binary_pow.glsl — a^b with NumPy / ONNX Pow semantics, which GLSL's pow() lacks (it is undefined for a < 0
// and for a = 0, b <= 0): a negative base with an integral exponent is allowed (sign from the exponent's parity),
// a^0 = 1 for every a, 0^b = 0 for b > 0 and +inf for b < 0; a negative base with a fractional exponent is NaN.
float binary_pow(float a, float b) {
    if (b == 0.0) return 1.0;
    if (a == 0.0) return b > 0.0 ? 0.0 : uintBitsToFloat(0x7f800000u);   // +inf
    if (a > 0.0) return pow(a, b);
    if (floor(b) != b) return uintBitsToFloat(0x7fc00000u);   // NaN
    float magnitude = pow(-a, b);
    return mod(b, 2.0) == 1.0 ? -magnitude : magnitude;
}

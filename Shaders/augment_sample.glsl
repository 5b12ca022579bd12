// augment_sample.glsl — border handling and bilinear sampling shared by the warp kernels
// (augment_affine.comp, augment_elastic.comp). Include after common.glsl and after the kernel declares
//   layout(std430, binding = 0) readonly buffer Input { float src[]; };
// Coordinates are in index space: pixel (i, j) has its centre at (i, j). A pixel-centre coordinate q
// (centres at i + 0.5, the half-pixel convention of image_to_nchw.comp) is sampled at s = q - 0.5.
// Border modes — what a tap outside [0,W) x [0,H) reads (OpenCV names):
//   0 constant: the fill value
//   1 reflect:  BORDER_REFLECT, the edge pixel repeated: ... c b a | a b c ... (period 2W, f(i) = f(-1 - i))
//   2 edge:     BORDER_REPLICATE, the nearest edge pixel
const int BORDER_CONSTANT = 0;
const int BORDER_REFLECT = 1;
const int BORDER_EDGE = 2;

// BORDER_REFLECT index for any integer i: fold negatives with i -> -1 - i, then reflect modulo 2 * size.
int reflect_index(int i, int size) {
    if (i < 0) i = -1 - i;
    int m = i % (2 * size);
    return m < size ? m : 2 * size - 1 - m;
}

// One tap of the plane starting at `base` (W x H, row-major), border-aware.
float sample_tap(int base, int x, int y, int W, int H, int border, float fill) {
    if (x < 0 || x >= W || y < 0 || y >= H) {
        if (border == BORDER_CONSTANT) return fill;
        if (border == BORDER_REFLECT) { x = reflect_index(x, W); y = reflect_index(y, H); }
        else { x = clamp(x, 0, W - 1); y = clamp(y, 0, H - 1); }
    }
    return src[base + y * W + x];
}

// Bilinear sample at index-space point (sx, sy):
//   v = (1-ay) * ((1-ax) v00 + ax v10) + ay * ((1-ax) v01 + ax v11),  ax = sx - floor(sx), ay = sy - floor(sy).
// Integer points read one pixel exactly (ax = ay = 0). Far-away points are clamped first so int() never overflows.
float sample_bilinear(int base, float sx, float sy, int W, int H, int border, float fill) {
    sx = clamp(sx, -4.0 * float(W) - 4.0, 5.0 * float(W) + 4.0);
    sy = clamp(sy, -4.0 * float(H) - 4.0, 5.0 * float(H) + 4.0);
    float fx = floor(sx), fy = floor(sy);
    float ax = sx - fx, ay = sy - fy;
    int x0 = int(fx), y0 = int(fy);
    float top = mix(sample_tap(base, x0, y0, W, H, border, fill), sample_tap(base, x0 + 1, y0, W, H, border, fill), ax);
    float bottom = mix(sample_tap(base, x0, y0 + 1, W, H, border, fill), sample_tap(base, x0 + 1, y0 + 1, W, H, border, fill), ax);
    return mix(top, bottom, ay);
}

// avgpool2d_window.glsl — one axis of an average-pooling window, PyTorch's divisor rule with separate pads.
// For output position o along an axis of `size` input elements:
//   begin = o*stride - padBefore;  end = min(begin + kernel, size + padAfter)   (ceil mode may overhang the padding)
//   include-pad count = end - begin                  (taps inside the padded image)
//   image taps        = [max(begin, 0), min(end, size))   (exclude-pad count = their number)
// The 2-D divisor is the product of the two axes' counts, since the window is a rectangle.
// Returns (first image tap, one past the last image tap, this axis' factor of the divisor).
ivec3 avg_window_axis(int o, int stride, int padBefore, int padAfter, int kernel, int size, bool countIncludePad) {
    int begin = o * stride - padBefore;
    int end = min(begin + kernel, size + padAfter);
    int first = max(begin, 0);
    int last = min(end, size);
    return ivec3(first, last, countIncludePad ? end - begin : last - first);
}

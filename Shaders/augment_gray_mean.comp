#version 430
// augment_gray_mean.comp — the mean grey level of every RGB image of a batch (what contrast blends towards):
//   mean[n] = (1 / (H W)) * sum over pixels of (0.299 r + 0.587 g + 0.114 b)      (ITU-R BT.601 luma)
// One work group per image: each invocation sums a strided set of pixels, then a shared-memory tree adds them.
// Bindings: 0 src[N, 3, H, W] (read), 1 mean[N] (write). Dispatch N groups.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float src[]; };
layout(std430, binding = 1) writeonly buffer Mean { float mean[]; };

uniform int H, W;
shared float partial[256];

void main() {
    int n = int(gl_WorkGroupID.x);
    int lane = int(gl_LocalInvocationID.x);
    int plane = H * W;
    int base = n * 3 * plane;
    float sum = 0.0;
    for (int i = lane; i < plane; i += 256)
        sum += 0.299 * src[base + i] + 0.587 * src[base + plane + i] + 0.114 * src[base + 2 * plane + i];
    partial[lane] = sum;
    barrier();
    for (int width = 128; width > 0; width >>= 1) {
        if (lane < width) partial[lane] += partial[lane + width];
        barrier();
    }
    if (lane == 0) mean[n] = partial[0] / float(plane);
}

#version 430
// image_to_nchw.comp — packed 8-bit pixels (any row stride, BGR/RGB/RGBA/BGRA/gray), or a GL texture
// (variant TEXTURE_SOURCE), to one NCHW float
// image of a batch, resized on the GPU: the classifier's preprocessing.
// Bindings: 0 pixels (read; bytes packed little-endian into uints), 1 out[N,3|1,OH,OW] (write, slot `batchIndex`).
// Geometry: output pixel (ox, oy) samples source point  sx = cropX + (ox + 0.5) * scaleX - 0.5  (likewise y),
// i.e. half-pixel centres (PyTorch align_corners=False / TF half_pixel_centers). When the source is being
// shrunk by more than 2x, `taps` x `taps` bilinear samples spread over the output pixel's footprint are
// averaged (area-like filtering, no aliasing from 640x480 camera frames down to 224x224).
// Value:    out[n,c,oy,ox] = (sample_c / 255 - mean[c]) / std[c], channel c in RGB order.
layout(local_size_x = 64) in;
#include "common.glsl"
#ifdef TEXTURE_SOURCE
// Variant for a GL texture (a host's rendered frame) on texture unit 0; rows are read top-down when flipY = 1.
layout(binding = 0) uniform sampler2D source;
uniform int flipY;
#else
layout(std430, binding = 0) readonly buffer Pixels { uint pixels[]; };
#endif
layout(std430, binding = 1) writeonly buffer Output { float outputs[]; };

uniform int width, height, rowStride, bytesPerPixel;
uniform int redOffset, greenOffset, blueOffset;   // byte offsets of R, G, B inside a pixel (all 0 for gray)
uniform int OH, OW, batchIndex;
uniform float cropX, cropY, scaleX, scaleY;        // source rectangle origin and source pixels per output pixel
uniform int taps;                                   // samples per axis per output pixel (1 = plain bilinear)
uniform vec3 mean, invStd;
uniform int outChannels;                           // 3: RGB planes; 1: one luminance plane (grey models)

#ifdef TEXTURE_SOURCE
vec3 texel(int x, int y) {
    x = clamp(x, 0, width - 1);
    y = clamp(y, 0, height - 1);
    return texelFetch(source, ivec2(x, flipY != 0 ? height - 1 - y : y), 0).rgb * 255.0;
}
#else
float byteAt(int offset) {
    uint word = pixels[offset >> 2];
    return float((word >> uint((offset & 3) * 8)) & 0xFFu);
}

vec3 texel(int x, int y) {
    x = clamp(x, 0, width - 1);
    y = clamp(y, 0, height - 1);
    int base = y * rowStride + x * bytesPerPixel;
    return vec3(byteAt(base + redOffset), byteAt(base + greenOffset), byteAt(base + blueOffset));
}
#endif

vec3 bilinear(float sx, float sy) {
    float fx = floor(sx), fy = floor(sy);
    float ax = sx - fx, ay = sy - fy;
    int x0 = int(fx), y0 = int(fy);
    vec3 top = mix(texel(x0, y0), texel(x0 + 1, y0), ax);
    vec3 bottom = mix(texel(x0, y0 + 1), texel(x0 + 1, y0 + 1), ax);
    return mix(top, bottom, ay);
}

void main() {
    int index = int(linear_index());
    if (index >= OH * OW) return;
    int ox = index % OW, oy = index / OW;
    vec3 sum = vec3(0.0);
    for (int j = 0; j < taps; j++) {
        for (int i = 0; i < taps; i++) {
            // Sample positions spread evenly over the footprint [ox, ox + 1) of the output pixel.
            float sx = cropX + (float(ox) + (float(i) + 0.5) / float(taps)) * scaleX - 0.5;
            float sy = cropY + (float(oy) + (float(j) + 0.5) / float(taps)) * scaleY - 0.5;
            sum += bilinear(sx, sy);
        }
    }
    vec3 rgb = sum / float(taps * taps) / 255.0;
    int plane = OH * OW;
    if (outChannels == 1) {
        float luma = dot(rgb, vec3(0.299, 0.587, 0.114));   // ITU-R BT.601
        outputs[batchIndex * plane + oy * OW + ox] = (luma - mean.r) * invStd.r;
        return;
    }
    vec3 value = (rgb - mean) * invStd;
    int base = batchIndex * 3 * plane + oy * OW + ox;
    outputs[base] = value.r;
    outputs[base + plane] = value.g;
    outputs[base + 2 * plane] = value.b;
}

// broadcast_index.glsl — 4-D index arithmetic of broadcasting elementwise kernels.
// Every operand is viewed as 4-D (shapes right-aligned, padded with 1s); an operand's strides are 0 along the
// axes it broadcasts, so its element for output coordinate o is dot(o, strides).

// Row-major coordinate of flat index i in a tensor of sizes d.
ivec4 broadcast_coordinate(int i, ivec4 d) {
    ivec4 c;
    c.w = i % d.w;   i /= d.w;
    c.z = i % d.z;   i /= d.z;
    c.y = i % d.y;
    c.x = i / d.y;
    return c;
}

int broadcast_offset(ivec4 c, ivec4 strides) {
    return c.x * strides.x + c.y * strides.y + c.z * strides.z + c.w * strides.w;
}

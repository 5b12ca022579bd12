// texel_loads.glsl — LOAD_X(i) reads x[i] of the kernel's input: through an R32F buffer texture (uniform xTex) when the
// host defines TEX_LOADS 1 (GpuContext.UseTexelBufferLoads: on llvmpipe a texel fetch is a vector gather, cheaper than
// its lane-by-lane storage-buffer loads), else from the storage buffer x[] the kernel declares.
#ifndef TEX_LOADS
#define TEX_LOADS 0
#endif
#if TEX_LOADS
uniform samplerBuffer xTex;
#define LOAD_X(i) texelFetch(xTex, (i)).x
#else
#define LOAD_X(i) x[(i)]
#endif
// LOAD_W(i): w[i] of the weight, through R32F buffer texture wTex when TEX_WEIGHTS is 1 (conv2d_forward.comp).
#ifndef TEX_WEIGHTS
#define TEX_WEIGHTS 0
#endif
#if TEX_WEIGHTS
uniform samplerBuffer wTex;
#define LOAD_W(i) texelFetch(wTex, (i)).x
#else
#define LOAD_W(i) w[(i)]
#endif

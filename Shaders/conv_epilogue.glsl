// conv_epilogue.glsl — the fused inference epilogue of conv2d_forward.comp, conv2d_depthwise3x3_forward.comp and
// matmul.comp, compiled in when the host defines EPILOGUE 1 (InferenceGraphOptimizer's fused layers):
//   y[i] = clamp(v + (hasResidual != 0 ? residual[i] : 0), clampMin, clampMax)
// where v is the kernel's own result (conv + bias). ReLU is [0, +inf], ReLU6 [0, 6], none [-inf, +inf].
// Binding: 4 residual (read, same layout as the output; ignored when hasResidual == 0).
// Without EPILOGUE, epilogue(v, i) is v: the training kernels are unchanged.
#ifndef EPILOGUE
#define EPILOGUE 0
#endif
#if EPILOGUE
layout(std430, binding = 4) readonly buffer Residual { float residual[]; };
uniform float clampMin, clampMax;
uniform int hasResidual;
float epilogue(float v, int outputIndex) {
    if (hasResidual != 0) v += residual[outputIndex];
    return min(max(v, clampMin), clampMax);
}
#else
float epilogue(float v, int outputIndex) { return v; }
#endif

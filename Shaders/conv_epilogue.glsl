// conv_epilogue.glsl — what a convolution kernel does to each result v before storing it at outputIndex. The host
// picks the mode with the define EPILOGUE (ConvEpilogue.cs):
//   EPILOGUE 1, the fused inference epilogue of conv2d_forward.comp, conv2d_depthwise3x3_forward.comp,
//     conv2d_winograd_output.comp and matmul.comp (InferenceGraphOptimizer's fused layers):
//       y[i] = clamp(v + (hasResidual != 0 ? residual[i] : 0), clampMin, clampMax)
//     ReLU is [0, +inf], ReLU6 [0, 6], none [-inf, +inf]. Binding 4: residual (read, same layout as the output;
//     ignored when hasResidual == 0).
//   EPILOGUE 2, the fused activation derivative of a backward-input kernel (the same kernels run as a rotated
//     forward, plus conv2d_backward_input.comp, conv2d_depthwise3x3_backward_input.comp, transpose_batch_channels.comp,
//     avgpool2d_backward.comp and global_pool_backward.comp's average):
//     the conv's input x = a = act(z) was written by a clamp activation (ReLU, ReLU6, Clip), so
//       dz[i] = dx[i] * act'(z[i]) = v * [clampMin < a[i] && (maskOpenAbove != 0 || a[i] < clampMax)]
//     (the same 0/1 factor activation_backward.comp takes from z: strict at both bounds, ReLU has no upper bound).
//     Binding 4 (EPILOGUE_BINDING where the kernel uses 4 itself, global_pool_backward.comp): a, the activation's
//     output (read, laid out like dx). Kernels that accumulate add beta * dx outside.
// Without EPILOGUE, epilogue(v, i) is v: the plain training kernels are unchanged.
#ifndef EPILOGUE
#define EPILOGUE 0
#endif
#if EPILOGUE == 1
layout(std430, binding = 4) readonly buffer Residual { float residual[]; };
uniform float clampMin, clampMax;
uniform int hasResidual;
float epilogue(float v, int outputIndex) {
    if (hasResidual != 0) v += residual[outputIndex];
    return min(max(v, clampMin), clampMax);
}
#elif EPILOGUE == 2
#ifndef EPILOGUE_BINDING
#define EPILOGUE_BINDING 4
#endif
layout(std430, binding = EPILOGUE_BINDING) readonly buffer ActivationOutput { float activationOutput[]; };
uniform float clampMin, clampMax;
uniform int maskOpenAbove;
float epilogue(float v, int outputIndex) {
    float a = activationOutput[outputIndex];
    bool inside = a > clampMin && (maskOpenAbove != 0 || a < clampMax);
    return v * (inside ? 1.0 : 0.0);
}
#else
float epilogue(float v, int outputIndex) { return v; }
#endif

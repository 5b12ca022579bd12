using System.Collections.Concurrent;
using System.Globalization;

namespace VisionPlugin.Engine;

/// <summary>
/// 2-D convolution on the GPU, forward and backward. Tensors are NCHW; weights are
/// [K, C / groups, KH, KW]; bias is [K]. Output size per axis:
/// O = floor((I + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1.
/// Gradients follow the course notes: the input gradient is the full correlation of the
/// (stride-dilated) output gradient with the rotated kernel, the weight gradient the correlation
/// of the input with the output gradient, the bias gradient the sum of the output gradient.
/// </summary>
public static class Conv2d
{
    private const int OutputChannelBlock = 4;  // OCB in conv2d_forward.comp
    private const int OutputColumnBlock = 4;   // OXB in conv2d_forward.comp
    private const int InputChannelBlock = 4;   // ICB in conv2d_backward_input.comp
    private static readonly ConcurrentDictionary<(int Ocb, int Oxb, bool Epilogue, bool Texels, int Row3), IReadOnlyDictionary<string, string>> ForwardVariants = new();
    // ROW3 tile (3-wide kernels): 8 channels x 8 columns. On llvmpipe (ResNet-18 3x3 layers, bench) 8x8 ran ~19 GFLOP/s,
    // 4x4 ~11, 8x4 ~14, 4x8 ~15, 16x8 ~15, 8x16 ~13.
    private const int Row3ChannelBlock = 8, Row3ColumnBlock = 8;
    private const int WeightChannelBlock = 8;     // KB in conv2d_backward_weight.comp
    private const int MaxWeightColumnBlock = 8;   // KXB in conv2d_backward_weight.comp: min(KW, 8)
    private static readonly ConcurrentDictionary<(int Kxb, bool Texels), IReadOnlyDictionary<string, string>> WeightVariants = new();

    /// <summary>Validates the shapes and returns the output shape [N, K, OH, OW].</summary>
    /// <exception cref="ArgumentException">Shapes or options are inconsistent; the message names both shapes.</exception>
    public static TensorShape OutputShape(TensorShape input, TensorShape weight, Conv2dOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (input.Rank != 4) throw new ArgumentException($"Conv2d expects an NCHW input; got {input}.", nameof(input));
        if (weight.Rank != 4) throw new ArgumentException($"Conv2d expects a [K, C/groups, KH, KW] weight; got {weight}.", nameof(weight));
        if (options.StrideH < 1 || options.StrideW < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Conv2d stride must be >= 1; got {options.StrideH}x{options.StrideW}.");
        if (options.DilationH < 1 || options.DilationW < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Conv2d dilation must be >= 1; got {options.DilationH}x{options.DilationW}.");
        Padding2d p = options.Padding;
        if (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Conv2d padding must be >= 0; got {p}.");
        int groups = options.Groups;
        if (groups < 1 || input.C % groups != 0 || weight[0] % groups != 0)
            throw new ArgumentException($"Conv2d groups {groups} must divide input channels and output channels; input {input}, weight {weight}.", nameof(options));
        if (weight[1] * groups != input.C)
            throw new ArgumentException($"Conv2d expects {weight[1] * groups} input channels (weight {weight}, groups {groups}); got input {input}.", nameof(input));
        if (weight[2] < 1 || weight[3] < 1)
            throw new ArgumentException($"Conv2d kernel must be at least 1x1; weight {weight}.", nameof(weight));
        int outH = OutputSize(input.H, weight[2], options.StrideH, options.DilationH, p.Top, p.Bottom);
        int outW = OutputSize(input.W, weight[3], options.StrideW, options.DilationW, p.Left, p.Right);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"Conv2d kernel {weight} with {options} does not fit input {input} (output would be {outH}x{outW}).", nameof(input));
        return new TensorShape(input.N, weight[0], outH, outW);
    }

    /// <summary>floor((input + before + after - dilation*(kernel-1) - 1) / stride) + 1.</summary>
    public static int OutputSize(int input, int kernel, int stride, int dilation, int padBefore, int padAfter)
    {
        int span = input + padBefore + padAfter - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /// <summary>output = conv(input, weight) + bias.</summary>
    public static void Forward(Tensor input, Tensor weight, Tensor? bias, Tensor output, Conv2dOptions options)
    {
        TensorShape outShape = OutputShape(input.Shape, weight.Shape, options);
        RequireShape("output", output.Shape, outShape, input.Shape, weight.Shape);
        if (bias is not null && bias.ElementCount != weight.Shape[0])
            throw new ArgumentException($"Conv2d bias must have {weight.Shape[0]} elements for weight {weight.Shape}; got {bias.Shape}.", nameof(bias));
        DispatchForward(input, weight, bias, output.Buffer, ConvGeometry.Of(input.Shape, weight.Shape, outShape, options));
    }

    /// <summary>
    /// output = epilogue(conv(input, weight) + bias): the fused inference form (clamp for ReLU/ReLU6/Clip, plus an
    /// optional residual), one dispatch. See <see cref="ConvEpilogue"/>.
    /// </summary>
    public static void ForwardFused(Tensor input, Tensor weight, Tensor? bias, Tensor output, Conv2dOptions options, ConvEpilogue epilogue)
    {
        TensorShape outShape = OutputShape(input.Shape, weight.Shape, options);
        RequireShape("output", output.Shape, outShape, input.Shape, weight.Shape);
        if (bias is not null && bias.ElementCount != weight.Shape[0])
            throw new ArgumentException($"Conv2d bias must have {weight.Shape[0]} elements for weight {weight.Shape}; got {bias.Shape}.", nameof(bias));
        epilogue.Validate(outShape);
        if (epilogue.Residual is not null && ReferenceEquals(epilogue.Residual.Buffer, output.Buffer))
            throw new ArgumentException("Conv2d epilogue residual must not be the output tensor.", nameof(epilogue));
        DispatchForward(input, weight.Buffer, bias, output.Buffer, ConvGeometry.Of(input.Shape, weight.Shape, outShape, options), epilogue);
    }

    /// <summary>conv2d_forward.comp for an explicit geometry (also ConvTranspose2d's input gradient); overwrites <paramref name="output"/>.</summary>
    internal static void DispatchForward(Tensor input, Tensor weight, Tensor? bias, GpuBuffer output, ConvGeometry g) =>
        DispatchForward(input, weight.Buffer, bias, output, g);

    /// <summary>conv2d_forward.comp with the weight given as a raw buffer laid out [K, C/groups, KH, KW].</summary>
    /// <param name="epilogue">Fused clamp and residual (inference); null or identity runs the plain kernels.</param>
    internal static void DispatchForward(Tensor input, GpuBuffer weight, Tensor? bias, GpuBuffer output, ConvGeometry g, ConvEpilogue? epilogue = null)
    {
        ConvEpilogue? fused = epilogue is { IsIdentity: false } ? epilogue : null;
        if (g.IsPointwise)
        {
            // A 1x1, stride-1, unpadded, ungrouped convolution is a GEMM per sample:
            // y[n] [K, H*W] = w [K, C] x[n] [C, H*W] (+ b[k] per row) — the register-blocked matmul kernel.
            if (fused is null && PointwiseConv.TryForwardSideBySide(input, weight, bias?.Buffer, output, g)) return;
            int k = g.Output.C, c = g.Input.C, pixels = g.Input.H * g.Input.W;
            Gemm.Dispatch(input.Context, weight, input.Buffer, bias?.Buffer, output, g.Input.N, k, pixels, c,
                0, c, 1, c * pixels, pixels, 1, k * pixels, 1f, 0f, biasPerRow: true, fused, wideTiles: g.Input.N > 1);
            return;
        }
        if (Conv2dWinograd.Selects(g))
        {
            Conv2dWinograd.Dispatch(input, weight, bias, output, g, fused);
            return;
        }
        if (DepthwiseConv3x3.Supports(g))
        {
            DepthwiseConv3x3.Dispatch(input, weight, bias, output, g, fused);
            return;
        }
        int kg = g.Output.C / g.Groups;
        GpuContext context = input.Context;
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(input.Buffer, vec4Texels: false)
                      && context.FitsTexelBuffer(weight, vec4Texels: false);
        // A 3-wide kernel with dilation 1 and stride 1 or 2 loads each input row segment once (ROW3 in the shader).
        int row3 = kg > 1 && g.Weight[3] == 3 && g.DilationW == 1 && g.StrideW is 1 or 2 ? g.StrideW : 0;
        var (channelBlock, columnBlock) = kg == 1 ? (1, 8) : row3 > 0 ? (Row3ChannelBlock, Row3ColumnBlock) : (OutputChannelBlock, OutputColumnBlock);
        IReadOnlyDictionary<string, string> defines = ForwardDefines(channelBlock, columnBlock, fused is not null, texels, row3);
        long tiles = (long)g.Output.N * ((kg + channelBlock - 1) / channelBlock) * g.Groups
                     * g.Output.H * ((g.Output.W + columnBlock - 1) / columnBlock);
        ComputeProgram program = g.SetUniforms(context.Programs.Get("conv2d_forward.comp", ConvEpilogue.Defines(fused, defines)))
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, input).Bind(1, weight).Bind(2, bias?.Buffer ?? weight).Bind(3, output);
        if (fused is { } e) e.Apply(program, weight);
        if (texels) program.BindTexels("xTex", 0, input.Buffer, vec4Texels: false).BindTexels("wTex", 1, weight, vec4Texels: false);
        program.DispatchLinear(tiles);
    }

    /// <summary>conv2d_forward.comp defines for a tile (OCB x OXB), a fused epilogue, texel loads and the ROW3 stride (0: none).</summary>
    private static IReadOnlyDictionary<string, string> ForwardDefines(int channelBlock, int columnBlock, bool epilogue, bool texels, int row3Stride) =>
        ForwardVariants.GetOrAdd((channelBlock, columnBlock, epilogue, texels, row3Stride), key =>
        {
            var defines = new Dictionary<string, string>
            {
                ["OCB"] = key.Ocb.ToString(CultureInfo.InvariantCulture), ["OXB"] = key.Oxb.ToString(CultureInfo.InvariantCulture),
            };
            if (key.Epilogue) defines["EPILOGUE"] = "1";
            if (key.Texels) { defines["TEX_LOADS"] = "1"; defines["TEX_WEIGHTS"] = "1"; }
            if (key.Row3 > 0) defines["ROW3"] = key.Row3.ToString(CultureInfo.InvariantCulture);
            return defines;
        });

    /// <summary>gradInput (+)= dL/dinput given dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Conv2dOptions options, bool accumulate = false) =>
        BackwardInput(gradOutput, weight, gradInput, options, accumulate, epilogue: null);

    /// <summary>
    /// The input gradient carried on through the clamp activation that produced the input, in the same kernel:
    /// input = activationOutput = act(z), gradInput (+)= dL/dz = dL/dinput * act'(z) (<see cref="ActivationDerivativeMask"/>).
    /// Equals <see cref="BackwardInput(Tensor, Tensor, Tensor, Conv2dOptions, bool)"/> followed by
    /// <see cref="Activation.Backward"/>, without the activation's pass over memory.
    /// </summary>
    /// <param name="activationOutput">The convolution's forward input, as the activation wrote it (gradInput's shape).</param>
    /// <param name="mask">The activation's derivative as a function of its output.</param>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it (only the new term is masked).</param>
    public static void BackwardInputThroughActivation(Tensor gradOutput, Tensor weight, Tensor gradInput, Conv2dOptions options,
        Tensor activationOutput, ActivationDerivativeMask mask, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(activationOutput);
        if (activationOutput.Shape != gradInput.Shape)
            throw new ArgumentException($"Conv2d activationOutput must have gradInput's shape {gradInput.Shape}; got {activationOutput.Shape}.", nameof(activationOutput));
        BackwardInput(gradOutput, weight, gradInput, options, accumulate, mask.ToEpilogue(activationOutput));
    }

    /// <param name="epilogue">Null, or the activation-derivative epilogue (<see cref="ConvEpilogue.MasksGradient"/>) applied to the new term.</param>
    private static void BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Conv2dOptions options, bool accumulate, ConvEpilogue? epilogue)
    {
        TensorShape outShape = OutputShape(gradInput.Shape, weight.Shape, options);
        RequireShape("gradOutput", gradOutput.Shape, outShape, gradInput.Shape, weight.Shape);
        TensorShape inShape = gradInput.Shape;
        var geometry = ConvGeometry.Of(inShape, weight.Shape, outShape, options);
        if (geometry.IsPointwise)
        {
            PointwiseConv.BackwardInput(gradOutput, weight.Buffer, gradInput, geometry, accumulate, epilogue);
            return;
        }
        if (DepthwiseConv3x3Backward.SupportsInput(geometry))
        {
            DepthwiseConv3x3Backward.BackwardInput(gradOutput, weight.Buffer, gradInput, geometry, accumulate, epilogue);
            return;
        }
        if (CanUseRotatedForward(weight.Shape, options))
        {
            BackwardInputAsForward(gradOutput, weight, gradInput, options, accumulate, epilogue);
            return;
        }
        int cg = inShape.C / options.Groups;
        long tiles = (long)inShape.N * ((cg + InputChannelBlock - 1) / InputChannelBlock) * options.Groups * inShape.H * inShape.W;
        ComputeProgram program = geometry.SetUniforms(gradInput.Context.Programs.Get("conv2d_backward_input.comp", ConvEpilogue.Defines(epilogue, NoDefines)))
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, weight).Bind(2, gradInput);
        if (epilogue is { } e) e.Apply(program, weight.Buffer);
        program.DispatchLinear(tiles);
    }

    private static readonly IReadOnlyDictionary<string, string> NoDefines = new Dictionary<string, string>();

    /// <summary>Stride 1 with padding no wider than the dilated kernel: dx is a forward convolution of dy.</summary>
    private static bool CanUseRotatedForward(TensorShape weight, Conv2dOptions o) =>
        o.StrideH == 1 && o.StrideW == 1
        && o.Padding.Top <= o.DilationH * (weight[2] - 1) && o.Padding.Bottom <= o.DilationH * (weight[2] - 1)
        && o.Padding.Left <= o.DilationW * (weight[3] - 1) && o.Padding.Right <= o.DilationW * (weight[3] - 1);

    /// <summary>
    /// dx = conv(dy, rot180(w) with in/out channels swapped per group), padding (dH*(KH-1) - padT, dW*(KW-1) - padL),
    /// on the register-blocked forward kernel: the gather kernel's modulo tests and scattered weight loads disappear.
    /// </summary>
    private static void BackwardInputAsForward(Tensor gradOutput, Tensor weight, Tensor gradInput, Conv2dOptions o, bool accumulate, ConvEpilogue? epilogue)
    {
        GpuContext context = gradInput.Context;
        TensorShape w = weight.Shape;
        int k = w[0], c = gradInput.Shape.C, kh = w[2], kw = w[3];
        var rotatedShape = new TensorShape(c, k / o.Groups, kh, kw);
        GpuBuffer rotated = context.Scratch("conv2d.rotated_weight", rotatedShape.ElementCount);
        context.Programs.Get("conv2d_rotate_weight.comp")
            .Set("K", k).Set("C", c).Set("KH", kh).Set("KW", kw).Set("groups", o.Groups)
            .Bind(0, weight).Bind(1, rotated)
            .DispatchLinear(rotatedShape.ElementCount);
        var geometry = new ConvGeometry(gradOutput.Shape, rotatedShape, gradInput.Shape, 1, 1, o.DilationH, o.DilationW,
            o.DilationH * (kh - 1) - o.Padding.Top, o.DilationW * (kw - 1) - o.Padding.Left, o.Groups);
        GpuBuffer target = accumulate ? context.Scratch("conv2d.grad_input", gradInput.ElementCount) : gradInput.Buffer;
        DispatchForward(gradOutput, rotated, null, target, geometry, epilogue);
        if (accumulate) SplitReduction.SumPartials(context, target, 1, gradInput.Buffer, gradInput.ElementCount, 1f);
    }

    /// <summary>gradWeight (+)= dL/dweight given the forward input and dL/doutput.</summary>
    /// <param name="accumulate">Add to <paramref name="gradWeight"/> (the default: parameter gradients accumulate until an optimizer zeroes them).</param>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Conv2dOptions options, bool accumulate = true)
    {
        TensorShape outShape = OutputShape(input.Shape, gradWeight.Shape, options);
        RequireShape("gradOutput", gradOutput.Shape, outShape, input.Shape, gradWeight.Shape);
        DispatchBackwardWeight(input, gradOutput, gradWeight, ConvGeometry.Of(input.Shape, gradWeight.Shape, outShape, options), accumulate);
    }

    /// <summary>
    /// conv2d_backward_weight.comp + sum_partials.comp for an explicit geometry (also ConvTranspose2d's weight
    /// gradient): gradWeight (+)= sum over (n, oy, ox) of gradOutput * the input under each tap.
    /// </summary>
    internal static void DispatchBackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, ConvGeometry g, bool accumulate)
    {
        if (g.IsPointwise)
        {
            PointwiseConv.BackwardWeight(input, gradOutput, gradWeight, g, accumulate);
            return;
        }
        if (DepthwiseConv3x3.Supports(g))
        {
            DepthwiseConv3x3Backward.BackwardWeight(input, gradOutput, gradWeight, g, accumulate);
            return;
        }
        GpuContext context = input.Context;
        int weightCount = gradWeight.ElementCount;
        // Tasks per split: one per (KB output channels, input channel, kernel row, KXB kernel columns).
        int kg = g.Output.C / g.Groups;
        int columnBlock = Math.Min(g.Weight[3], MaxWeightColumnBlock);
        long tasks = (long)g.Groups * ((kg + WeightChannelBlock - 1) / WeightChannelBlock) * g.Weight[1] * g.Weight[2]
                     * ((g.Weight[3] + columnBlock - 1) / columnBlock);
        int rows = g.Output.N * g.Output.H;
        // Each invocation should see at least ~256 output pixels: minChunk is in rows of OW pixels.
        var (splits, chunk) = SplitReduction.Plan(tasks, rows, targetInvocations: 4096, minChunk: Math.Max(1, 256 / Math.Max(1, g.Output.W)));
        GpuBuffer partial = context.Scratch("conv2d.weight_partial", (long)splits * weightCount);
        bool texels = context.UseTexelBufferLoads && context.FitsTexelBuffer(input.Buffer, vec4Texels: false)
                      && context.FitsTexelBuffer(gradOutput.Buffer, vec4Texels: false);
        ComputeProgram program = g.SetUniforms(context.Programs.Get("conv2d_backward_weight.comp", WeightDefines(columnBlock, texels)))
            .Set("splits", splits).Set("chunk", chunk)
            .Bind(0, input).Bind(1, gradOutput).Bind(2, partial);
        if (texels) program.BindTexels("xTex", 0, input.Buffer, vec4Texels: false).BindTexels("dyTex", 1, gradOutput.Buffer, vec4Texels: false);
        program.DispatchLinear(tasks * splits);
        SplitReduction.SumPartials(context, partial, splits, gradWeight.Buffer, weightCount, accumulate ? 1f : 0f);
    }

    /// <summary>conv2d_backward_weight.comp defines: KB x KXB tile, texel loads.</summary>
    private static IReadOnlyDictionary<string, string> WeightDefines(int columnBlock, bool texels) =>
        WeightVariants.GetOrAdd((columnBlock, texels), key =>
        {
            var defines = new Dictionary<string, string>
            {
                ["KB"] = WeightChannelBlock.ToString(CultureInfo.InvariantCulture), ["KXB"] = key.Kxb.ToString(CultureInfo.InvariantCulture),
            };
            if (key.Texels) defines["TEX_LOADS"] = "1";
            return defines;
        });

    /// <summary>gradBias[k] (+)= sum_{n,oy,ox} gradOutput[n,k,oy,ox].</summary>
    public static void BackwardBias(Tensor gradOutput, Tensor gradBias, bool accumulate = true)
    {
        if (gradOutput.Shape.Rank != 4) throw new ArgumentException($"Conv2d gradOutput must be NCHW; got {gradOutput.Shape}.", nameof(gradOutput));
        ChannelReduction.Sum(gradOutput, null, gradBias, accumulate);
    }

    /// <summary>Multiply-adds of one forward pass: N*K*OH*OW*(C/groups)*KH*KW.</summary>
    public static long MultiplyAdds(TensorShape input, TensorShape weight, Conv2dOptions options)
    {
        TensorShape o = OutputShape(input, weight, options);
        return (long)o.N * o.C * o.H * o.W * weight[1] * weight[2] * weight[3];
    }

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, TensorShape weight)
    {
        if (actual != expected)
            throw new ArgumentException($"Conv2d {name} must be {expected} for input {input} and weight {weight}; got {actual}.", name);
    }
}

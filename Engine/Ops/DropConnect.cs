namespace VisionPlugin.Engine;

/// <summary>
/// DropConnect (Wan et al. 2013) for a linear map on the GPU: in training the WEIGHT is masked,
/// y = x (W ∘ M / (1 - p))^T + b with M ~ Bernoulli(1 - p) per weight element; inference uses W (no scaling:
/// the 1 / (1 - p) keeps the training expectation equal to it). Input [N, IN] or [N, ...] with IN values per
/// sample (flattened row-major); weight [OUT, IN]; bias [OUT]; output [N, OUT].
/// A training step calls <see cref="MaskWeight"/> once, then runs <see cref="Forward"/> and <see cref="BackwardInput"/>
/// with the masked weight; <see cref="BackwardWeight"/> recomputes the mask from the same seed
/// (<see cref="DropoutMask"/>, keyed by the flat weight index o * IN + i):
///   dx = dy (W ∘ M / (1 - p)),   dW += (dy^T x) ∘ M / (1 - p),   db += sum_n dy.
/// The dense kernels are DropConnect's own (<c>dropconnect_*.comp</c>); they can move onto the shared GEMM.
/// </summary>
public static class DropConnect
{
    private const string Op = "DropConnect";

    /// <summary>Validates the shapes and returns [N, OUT].</summary>
    /// <exception cref="ArgumentException">The input does not hold weight[1] values per sample; the message names both shapes.</exception>
    public static TensorShape OutputShape(TensorShape input, TensorShape weight)
    {
        if (weight.Rank != 2) throw new ArgumentException($"{Op} expects an [OUT, IN] weight; got {weight}.", nameof(weight));
        if (input.Rank < 2) throw new ArgumentException($"{Op} expects an [N, IN] input; got {input} (weight {weight}).", nameof(input));
        int perSample = input[0] == 0 ? 0 : input.ElementCount / input[0];
        if (perSample != weight[1])
            throw new ArgumentException($"{Op} expects {weight[1]} input features per sample (weight {weight}); got input {input}.", nameof(input));
        return new TensorShape(input[0], weight[0]);
    }

    /// <summary>maskedWeight = weight ∘ M / (1 - p), M from stream <paramref name="seed"/>.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">The step's stream (<see cref="DropoutMask.StreamSeed"/>); pass the same one to <see cref="BackwardWeight"/>.</param>
    public static void MaskWeight(Tensor weight, Tensor maskedWeight, float p, uint seed)
    {
        DropoutMask.ValidateProbability(p, Op, nameof(p));
        if (maskedWeight.Shape != weight.Shape)
            throw new ArgumentException($"{Op} maskedWeight must have the weight's shape {weight.Shape}; got {maskedWeight.Shape}.", nameof(maskedWeight));
        weight.Context.Programs.Get("dropconnect_mask_weight.comp")
            .Set("count", weight.ElementCount).Set("seed", seed).Set("p", p).Set("scale", DropoutMask.KeepScale(p))
            .Bind(0, weight).Bind(1, maskedWeight)
            .DispatchLinear(weight.ElementCount);
    }

    /// <summary>output = input weight^T + bias, with the masked weight in training and the plain one in inference.</summary>
    public static void Forward(Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        TensorShape outShape = OutputShape(input.Shape, weight.Shape);
        RequireShape(nameof(output), output.Shape, outShape, input.Shape, weight.Shape);
        if (bias is not null && bias.ElementCount != weight.Shape[0])
            throw new ArgumentException($"{Op} bias must have {weight.Shape[0]} elements for weight {weight.Shape}; got {bias.Shape}.", nameof(bias));
        Dims(input.Context.Programs.Get("dropconnect_forward.comp"), outShape, weight.Shape)
            .Set("hasBias", bias is null ? 0 : 1)
            .Bind(0, input).Bind(1, weight).Bind(2, (bias ?? weight).Buffer).Bind(3, output)
            .DispatchLinear(outShape.ElementCount);
    }

    /// <summary>gradInput (+)= gradOutput weight, with the weight the forward pass used.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> (for a tensor feeding several layers) instead of overwriting it.</param>
    public static void BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, bool accumulate = false)
    {
        TensorShape outShape = OutputShape(gradInput.Shape, weight.Shape);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, gradInput.Shape, weight.Shape);
        Dims(gradInput.Context.Programs.Get("dropconnect_backward_input.comp"), outShape, weight.Shape)
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, weight).Bind(2, gradInput)
            .DispatchLinear(gradInput.ElementCount);
    }

    /// <summary>gradWeight (+)= (gradOutput^T input) ∘ M / (1 - p) in training, gradOutput^T input in inference.</summary>
    /// <param name="p">The forward pass's drop probability.</param>
    /// <param name="seed">The forward pass's stream.</param>
    /// <param name="training">Whether the forward pass used the masked weight.</param>
    /// <param name="accumulate">Add to <paramref name="gradWeight"/> (the default: parameter gradients accumulate until an optimizer zeroes them).</param>
    public static void BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, float p, uint seed, bool training, bool accumulate = true)
    {
        DropoutMask.ValidateProbability(p, Op, nameof(p));
        TensorShape outShape = OutputShape(input.Shape, gradWeight.Shape);
        RequireShape(nameof(gradOutput), gradOutput.Shape, outShape, input.Shape, gradWeight.Shape);
        Dims(input.Context.Programs.Get("dropconnect_backward_weight.comp"), outShape, gradWeight.Shape)
            .Set("masked", training ? 1 : 0).Set("seed", seed).Set("p", p).Set("scale", DropoutMask.KeepScale(p))
            .Set("beta", accumulate ? 1f : 0f)
            .Bind(0, input).Bind(1, gradOutput).Bind(2, gradWeight)
            .DispatchLinear(gradWeight.ElementCount);
    }

    /// <summary>gradBias[o] (+)= sum_n gradOutput[n, o].</summary>
    public static void BackwardBias(Tensor gradOutput, Tensor gradBias, bool accumulate = true)
    {
        if (gradOutput.Shape.Rank != 2) throw new ArgumentException($"{Op} gradOutput must be [N, OUT]; got {gradOutput.Shape}.", nameof(gradOutput));
        ChannelReduction.Sum(gradOutput, null, gradBias, accumulate);
    }

    /// <summary>Multiply-adds of one forward pass: N * OUT * IN.</summary>
    public static long MultiplyAdds(TensorShape input, TensorShape weight) =>
        (long)OutputShape(input, weight).ElementCount * weight[1];

    private static ComputeProgram Dims(ComputeProgram program, TensorShape output, TensorShape weight) =>
        program.Set("N", output[0]).Set("IN", weight[1]).Set("OUT", weight[0]);

    private static void RequireShape(string name, TensorShape actual, TensorShape expected, TensorShape input, TensorShape weight)
    {
        if (actual != expected)
            throw new ArgumentException($"{Op} {name} must be {expected} for input {input} and weight {weight}; got {actual}.", name);
    }
}

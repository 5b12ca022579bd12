using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A fully connected layer regularized by DropConnect (see <see cref="DropConnect"/>): weight [OUT, IN]
/// (He-normal by default), optional bias [OUT] (zeros). Training: y = x (W ∘ M / (1 - p))^T + b with a new mask
/// every Forward, from stream <see cref="DropoutMask.StreamSeed"/>(<see cref="Seed"/>, <see cref="Step"/>), after
/// which <see cref="Step"/> advances; inference, and a <see cref="Layer.Frozen"/> layer: y = x W^T + b.
/// Inputs are [N, IN] or [N, ...] with IN values per sample; the output is [N, OUT].
/// Self-contained (own dense kernels) until it can reuse the shared Linear/GEMM op.
/// </summary>
public sealed class DropConnectLinearLayer : UnaryLayer, IRandomizedLayer
{
    private readonly Parameter[] _parameters;
    private Tensor? _maskedWeight, _input;
    private uint? _lastStream;   // the stream of the last masked Forward; null when it used W unmasked

    /// <param name="p">Probability of dropping each weight, in [0, 1) (Wan et al. use 0.5).</param>
    /// <param name="seed">This layer's mask seed.</param>
    /// <param name="random">Draws the initial weights (default: seed 0).</param>
    public DropConnectLinearLayer(GpuContext context, string name, int inFeatures, int outFeatures, float p = 0.5f, uint seed = 0,
        bool bias = true, Initializer? weightInit = null, Random? random = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"DropConnect '{name}' needs positive sizes; got in {inFeatures}, out {outFeatures}.");
        DropoutMask.ValidateProbability(p, $"DropConnect '{name}'", nameof(p));
        P = p;
        Seed = seed;
        Weight = new Parameter(context, name + ".weight", new TensorShape(outFeatures, inFeatures));
        Weight.Initialize(weightInit ?? Initializer.HeNormal(), random ?? new Random(0));
        if (bias) Bias = new Parameter(context, name + ".bias", new TensorShape(outFeatures)) { DecayWeights = false };
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    /// <summary>Drop probability of each weight.</summary>
    public float P { get; }
    public uint Seed { get; }
    /// <summary>Masked Forward passes so far; the next one uses this step's mask. Settable to resume a run.</summary>
    public long Step { get; set; }
    /// <summary>[OUT, IN].</summary>
    public Parameter Weight { get; }
    /// <summary>[OUT], or null.</summary>
    public Parameter? Bias { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => DropConnect.OutputShape(input, Weight.Shape);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        Tensor weight = Weight.Value;
        _lastStream = null;
        if (training && !Frozen && P > 0f)
        {
            uint stream = DropoutMask.StreamSeed(Seed, Step++);
            weight = Ensure(ref _maskedWeight, input.Context, Weight.Shape);
            DropConnect.MaskWeight(Weight.Value, weight, P, stream);
            _lastStream = stream;
        }
        DropConnect.Forward(input, weight, Bias?.Value, output);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        bool masked = _lastStream is not null;
        if (Weight.Trainable) DropConnect.BackwardWeight(input, gradOutput, Weight.Gradient, P, _lastStream ?? 0, masked);
        if (Bias is { Trainable: true }) DropConnect.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        DropConnect.BackwardInput(gradOutput, masked ? _maskedWeight! : Weight.Value, gradInput);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => DropConnect.MultiplyAdds(input, Weight.Shape);

    public override void Dispose()
    {
        _maskedWeight?.Dispose();
        _maskedWeight = _input = null;
        base.Dispose();
    }
}

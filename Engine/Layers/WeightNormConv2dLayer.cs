using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A convolution whose weight is weight-normalized (see <see cref="WeightNorm"/>): learnable direction v
/// [K, C/groups, KH, KW] (<c>weight_v</c>, He-normal by default) and magnitude g [K] (<c>weight_g</c>, initialized to
/// ||v_k|| so the first weight equals v, as PyTorch's <c>weight_norm</c> does), optional bias [K] (zeros).
/// Forward computes w = g * v / ||v|| on the GPU, then y = conv(x, w) + b (<see cref="Conv2d"/>);
/// Backward takes dL/dw from <see cref="Conv2d.BackwardWeight"/> and maps it onto dv and dg.
/// </summary>
public sealed class WeightNormConv2dLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _weight, _norms, _gradWeight;
    private Tensor? _input;

    public WeightNormConv2dLayer(GpuContext context, string name, int inChannels, int outChannels, int kernelH, int kernelW,
        Conv2dOptions? options = null, bool bias = true, Initializer? directionInit = null, Random? random = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options = options ?? Conv2dOptions.Default;
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"WeightNormConv2d '{name}' needs positive sizes; got in {inChannels}, out {outChannels}, kernel {kernelH}x{kernelW}.");
        if (inChannels % Options.Groups != 0 || outChannels % Options.Groups != 0)
            throw new ArgumentException($"WeightNormConv2d '{name}': groups {Options.Groups} must divide in {inChannels} and out {outChannels} channels.", nameof(options));
        var weightShape = new TensorShape(outChannels, inChannels / Options.Groups, kernelH, kernelW);
        Direction = new Parameter(context, name + ".weight_v", weightShape);
        Magnitude = new Parameter(context, name + ".weight_g", new TensorShape(outChannels));
        var v = new float[weightShape.ElementCount];
        (directionInit ?? Initializer.HeNormal()).Fill(v, weightShape, random ?? new Random(0));
        Direction.Value.Upload(v);
        Magnitude.Value.Upload(RowNorms(v, outChannels));
        if (bias)
        {
            Bias = new Parameter(context, name + ".bias", new TensorShape(outChannels)) { DecayWeights = false };
            Bias.Value.Fill(0f);
        }
        _parameters = Bias is null ? [Direction, Magnitude] : [Direction, Magnitude, Bias];
        _weight = new Tensor(context, weightShape);
        _gradWeight = new Tensor(context, weightShape);
        _norms = new Tensor(context, new TensorShape(outChannels));
    }

    public Conv2dOptions Options { get; }
    /// <summary>v [K, C/groups, KH, KW].</summary>
    public Parameter Direction { get; }
    /// <summary>g [K].</summary>
    public Parameter Magnitude { get; }
    public Parameter? Bias { get; }
    /// <summary>The effective weight g * v / ||v|| of the last Forward (owned by the layer).</summary>
    public Tensor Weight => _weight;
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => Conv2d.OutputShape(input, Direction.Shape, Options);

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor output = OutputTensor(input.Context, OutputShape(input.Shape));
        WeightNorm.Forward(Direction.Value, Magnitude.Value, _weight, _norms);
        Conv2d.Forward(input, _weight, Bias?.Value, output, Options);
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        if (Direction.Trainable || Magnitude.Trainable)
        {
            // dL/dw of y = conv(x, w), then w = g * v / ||v|| maps it onto dv and dg (both accumulate).
            Conv2d.BackwardWeight(input, gradOutput, _gradWeight, Options, accumulate: false);
            WeightNorm.Backward(_gradWeight, Direction.Value, Magnitude.Value, _norms,
                Direction.Trainable ? Direction.Gradient : null, Magnitude.Trainable ? Magnitude.Gradient : null);
        }
        if (Bias is { Trainable: true }) Conv2d.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        Conv2d.BackwardInput(gradOutput, _weight, gradInput, Options);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => Conv2d.MultiplyAdds(input, Direction.Shape, Options);

    /// <summary>||v_k|| of each of the <paramref name="rows"/> rows of <paramref name="v"/>, in double.</summary>
    private static float[] RowNorms(float[] v, int rows)
    {
        int length = v.Length / rows;
        var norms = new float[rows];
        for (int k = 0; k < rows; k++)
        {
            double sum = 0;
            for (int j = 0; j < length; j++) sum += (double)v[k * length + j] * v[k * length + j];
            norms[k] = (float)Math.Sqrt(sum);
        }
        return norms;
    }

    public override void Dispose()
    {
        _input = null;
        _weight.Dispose();
        _gradWeight.Dispose();
        _norms.Dispose();
        base.Dispose();
    }
}

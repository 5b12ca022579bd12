using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// The bricks the zoo's builders share: each method appends one layer (or a conv-BN-activation unit) to a
/// <see cref="Model"/> fed by a given node and returns the new node id. Every parameter and dropout seed is drawn
/// from one <see cref="Random"/> seeded by the build's seed, in construction order, so the same seed gives the same
/// weights. Weights are He-normal (fan-in, ReLU nets); the logits layer is Xavier-uniform (no ReLU follows it);
/// biases start at zero. Parameters are lazy (see <see cref="Parameter"/>): building allocates no GPU storage except
/// the running statistics batch-norm layers create with themselves. Call on the GL thread.
/// </summary>
internal sealed class ZooBuilder
{
    private readonly Random _random;

    /// <param name="input">Per-image input shape [C,H,W].</param>
    public ZooBuilder(GpuContext context, string modelName, TensorShape input, int classCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input.Rank != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1)
            throw new ArgumentException($"{modelName} takes a per-image input [channels,height,width]; got {input}.", nameof(input));
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), $"{modelName} needs at least one class; got {classCount}.");
        Context = context;
        Input = input;
        _random = new Random(seed);
        Model = new Model(context, modelName, input);
    }

    public GpuContext Context { get; }
    public Model Model { get; }
    /// <summary>Per-image input shape [C,H,W].</summary>
    public TensorShape Input { get; }
    /// <summary>Channels of the input image.</summary>
    public int InputChannels => Input[0];

    /// <summary>Convolution with a square kernel, symmetric padding and He-normal weights.</summary>
    public int Conv(string name, int from, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int groups = 1, bool bias = true) =>
        Model.Add(new Conv2dLayer(Context, name, inChannels, outChannels, kernel, kernel,
            Conv2dOptions.Create(stride, padding, groups: groups), bias, Initializer.HeNormal(), _random), from);

    /// <summary>A convolution producing logits (Xavier-uniform weights: no ReLU follows).</summary>
    public int ConvLogits(string name, int from, int inChannels, int outChannels, int kernel, int padding = 0) =>
        Model.Add(new Conv2dLayer(Context, name, inChannels, outChannels, kernel, kernel,
            Conv2dOptions.Create(padding: padding), bias: true, Initializer.XavierUniform(), _random), from);

    public int Relu(string name, int from) => Model.Add(new ActivationLayer(name, ActivationOptions.Relu()), from);

    public int Relu6(string name, int from) => Model.Add(new ActivationLayer(name, ActivationOptions.Relu6()), from);

    public int BatchNorm(string name, int from, int channels, float epsilon = 1e-5f) =>
        Model.Add(new BatchNorm2dLayer(Context, name, channels, new BatchNormOptions { Epsilon = epsilon }), from);

    /// <summary>
    /// Convolution without bias, batch norm and ReLU (or ReLU6), named <c>{unit}.conv</c>, <c>{unit}.bn</c>,
    /// <c>{unit}.relu</c>; returns the activation's node.
    /// </summary>
    public int ConvBnRelu(string unit, int from, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int groups = 1, bool relu6 = false, float epsilon = 1e-5f)
    {
        int conv = Conv(unit + ".conv", from, inChannels, outChannels, kernel, stride, padding, groups, bias: false);
        int bn = BatchNorm(unit + ".bn", conv, outChannels, epsilon);
        return relu6 ? Relu6(unit + ".relu6", bn) : Relu(unit + ".relu", bn);
    }

    public int MaxPool(string name, int from, int kernel, int stride, int padding = 0, bool ceilMode = false) =>
        Model.Add(new MaxPool2dLayer(name, Pool2dOptions.Create(kernel, stride, padding, ceilMode: ceilMode)), from);

    public int Lrn(string name, int from, LrnOptions options) => Model.Add(new LrnLayer(name, options), from);

    public int GlobalAvgPool(string name, int from) => Model.Add(new GlobalAvgPoolLayer(name), from);

    public int Flatten(string name, int from) => Model.Add(new FlattenLayer(name), from);

    /// <summary>Inverted dropout with its own seed drawn from the build's random stream.</summary>
    public int Dropout(string name, int from, float p) => Model.Add(new DropoutLayer(name, p, (uint)_random.Next()), from);

    /// <summary>Hidden fully connected layer (He-normal weights, a ReLU follows).</summary>
    public int Linear(string name, int from, int inFeatures, int outFeatures) =>
        Model.Add(new LinearLayer(Context, name, inFeatures, outFeatures, bias: true, Initializer.HeNormal(), _random), from);

    /// <summary>The classifier's last layer (Xavier-uniform weights).</summary>
    public int LinearLogits(string name, int from, int inFeatures, int outFeatures) =>
        Model.Add(new LinearLayer(Context, name, inFeatures, outFeatures, bias: true, Initializer.XavierUniform(), _random), from);

    public int Add(string name, params int[] from) => Model.Add(new AddLayer(name), from);

    public int Concat(string name, params int[] from) => Model.Add(new ConcatLayer(name), from);

    /// <summary>
    /// Per-image shape [C,H,W] of <paramref name="node"/>, inferring the graph so far. Throws an ArgumentException
    /// naming the architecture and the input when the input is too small for the layers added so far.
    /// </summary>
    public TensorShape ShapeOf(int node)
    {
        TensorShape shape;
        try
        {
            shape = Model.InferShapes(batchSize: 1)[node];
        }
        catch (ArgumentException e)
        {
            Model.Dispose();
            throw new ArgumentException($"{Model.Name} cannot take input {Input}: {e.Message}", "input", e);
        }
        return new TensorShape(shape.Dimensions[1..].ToArray());
    }

    /// <summary>Channels x height x width of <paramref name="node"/>: the width of a flatten after it.</summary>
    public int FeatureCount(int node) => ShapeOf(node).ElementCount;

    /// <summary>Validates the finished graph (see <see cref="ShapeOf"/>) and returns the model.</summary>
    public Model Finish()
    {
        ShapeOf(Model.Last);
        return Model;
    }

    /// <summary>Rounds <c>channels * scale</c> to the nearest integer, at least 1 (width multipliers).</summary>
    public static int Scale(int channels, double scale) => Math.Max(1, (int)Math.Round(channels * scale));

    /// <summary>Throws when a width multiplier is not a positive finite number.</summary>
    public static void RequirePositive(double value, string what, string parameterName)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(parameterName, $"{what} must be positive and finite; got {value}.");
    }
}

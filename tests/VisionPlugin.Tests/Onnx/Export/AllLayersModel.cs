using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Tests.Onnx.Export;

/// <summary>
/// A hand-built graph with every layer type the exporter maps, each with options that differ from the defaults
/// (asymmetric pads, unequal strides and dilations, groups, ceil mode, both average-pool divisors, every activation
/// kind, every pad mode, negative pads, broadcasting, a 7-input sum), and twelve outputs so each branch is compared
/// on its own rather than through a final average. Input [3, 20, 17] per image.
/// </summary>
internal static class AllLayersModel
{
    public static readonly TensorShape Input = new(3, 20, 17);

    /// <summary>Every activation kind (with non-default parameters), including a Clip with one infinite bound.</summary>
    public static readonly ActivationOptions[] Activations =
    [
        ActivationOptions.Identity(), ActivationOptions.Relu(), ActivationOptions.LeakyRelu(0.2f), ActivationOptions.RRelu(0.1f, 0.3f, seed: 5),
        ActivationOptions.NoisyRelu(0.5f, seed: 6), ActivationOptions.Elu(0.7f), ActivationOptions.Selu(), ActivationOptions.Sigmoid(),
        ActivationOptions.Tanh(), ActivationOptions.Softplus(), ActivationOptions.Softsign(), ActivationOptions.Relu6(),
        ActivationOptions.Clip(-0.5f, 0.8f), ActivationOptions.Clip(-0.25f, float.PositiveInfinity), ActivationOptions.HardSigmoid(0.3f, 0.4f),
    ];

    public static Model Build(GpuContext ctx)
    {
        var random = new Random(3);
        var model = new Model(ctx, "all_layers", Input);
        int Add(Layer layer, params int[] from) => model.Add(layer, from);

        // Trunk: conv (stride 2x1, dilation 1x2, pads t1 l0 b2 r1) -> BN -> PReLU: [8, 11, 14].
        var convOptions = new Conv2dOptions { StrideH = 2, StrideW = 1, DilationH = 1, DilationW = 2, Padding = new Padding2d(1, 0, 2, 1) };
        int x = Add(new Conv2dLayer(ctx, "conv1", 3, 8, 3, 3, convOptions, random: random), 0);
        x = Add(new BatchNorm2dLayer(ctx, "bn1", 8, new BatchNormOptions { Epsilon = 1e-3f }), x);
        int trunk = Add(new PReluLayer(ctx, "prelu1", 8), x);

        // Every activation: the first seven concatenated and mixed by a 1x1 conv, the other eight summed (ONNX Sum).
        int[] acts = Activations.Select((a, i) => Add(new ActivationLayer($"act{i}.{a.Kind.ToString().ToLowerInvariant()}", a), trunk)).ToArray();
        int cat = Add(new ConcatLayer("acts.concat"), acts[..7]);
        int mix = Add(new Conv2dLayer(ctx, "acts.mix", 56, 8, 1, 1, random: random), cat);
        int sum = Add(new AddLayer("acts.sum"), acts[7..]);
        // The unary maths kinds on a positive chain: exp(-|-x|) lies in (0, 1], so log and sqrt stay finite.
        int negated = Add(new ActivationLayer("maths.neg", ActivationOptions.Neg()), trunk);
        int magnitude = Add(new ActivationLayer("maths.abs", ActivationOptions.Abs()), negated);
        int positive = Add(new ActivationLayer("maths.exp", ActivationOptions.Exp()),
            Add(new ActivationLayer("maths.neg2", ActivationOptions.Neg()), magnitude));
        int logarithm = Add(new ActivationLayer("maths.log", ActivationOptions.Log()), positive);
        int root = Add(new ActivationLayer("maths.sqrt", ActivationOptions.Sqrt()), positive);
        x = Add(new AddLayer("acts.join"), mix, sum, logarithm, root);

        // Weight-normalized grouped conv, CReLU, Maxout, LRN: [8, 11, 14].
        x = Add(new WeightNormConv2dLayer(ctx, "wnconv", 8, 8, 3, 3, Conv2dOptions.Create(padding: 1, groups: 2), random: random), x);
        x = Add(new CReluLayer("crelu"), x);
        x = Add(new MaxoutLayer("maxout", 2), x);
        int lrn = Add(new LrnLayer("lrn", new LrnOptions { Size = 3, Alpha = 0.05f, Beta = 0.6f, Bias = 2f }), x);

        // Pools. Max: 2x2/2 ceil ([8,6,7]) and dilated 2x2/1 with pads t1 l1 ([8,10,13]); average 3x3/2 pad 1 ceil
        // counting the pad, and 2x2/2 pads l1 b1 ceil excluding it; L2 2x2/2 ceil.
        int maxPool = Add(new MaxPool2dLayer("maxpool", Pool2dOptions.Create(2, 2, ceilMode: true)), lrn);
        int dilatedPool = Add(new MaxPool2dLayer("maxpool.dilated", new Pool2dOptions
            { KernelH = 2, KernelW = 2, DilationH = 2, DilationW = 2, Padding = new Padding2d(1, 1, 0, 0) }), lrn);
        int avgPool = Add(new AvgPool2dLayer("avgpool", Pool2dOptions.Create(3, 2, padding: 1, ceilMode: true, countIncludePad: true)), lrn);
        int avgExclude = Add(new AvgPool2dLayer("avgpool.exclude", new Pool2dOptions
            { KernelH = 2, KernelW = 2, StrideH = 2, StrideW = 2, Padding = new Padding2d(0, 1, 1, 0), CeilMode = true, CountIncludePad = false }), lrn);
        int lpPool = Add(new LpPool2dLayer("lppool", Pool2dOptions.Create(2, 2, ceilMode: true), p: 2f), lrn);

        // Transposed conv (stride 2, pad 1, output padding 1, groups 2) and every pad mode, plus a crop.
        int up = Add(new ConvTranspose2dLayer(ctx, "convT", 8, 4, 3, 3,
            ConvTranspose2dOptions.Create(stride: 2, padding: 1, outputPadding: 1, groups: 2), random: random), maxPool);
        int padConstant = Add(new Pad2dLayer("pad.constant", Pad2dOptions.Constant(new Padding2d(1, 2, 0, 1), 0.5f)), up);
        int padReflect = Add(new Pad2dLayer("pad.reflect", Pad2dOptions.Reflect(new Padding2d(1, 1, 2, 0))), up);
        int padEdge = Add(new Pad2dLayer("pad.edge", Pad2dOptions.Edge(new Padding2d(0, 2, 1, 1))), up);
        int crop = Add(new Pad2dLayer("crop", new Padding2d(-1, 0, -2, -1)), up);

        // Broadcasting arithmetic against global pools: (lrn - gap) * gmp / clip(gmp, 0.5, 2).
        int gap = Add(new GlobalAvgPoolLayer("gap"), lrn);
        int gmp = Add(new GlobalMaxPoolLayer("gmp"), lrn);
        int centered = Add(new SubLayer("sub"), lrn, gap);
        int scaled = Add(new MulLayer("mul"), centered, gmp);
        int divisor = Add(new ActivationLayer("divisor", ActivationOptions.Clip(0.5f, 2f)), gmp);
        int ratio = Add(new DivLayer("div"), scaled, divisor);

        // Head: flatten -> BN1d [N,F] -> linear -> dropout -> DropConnect -> reshape [4,-1] -> BN1d [N,C,L] -> flatten
        // -> linear -> softmax / log-softmax; and a DropConnect fed a rank-4 tensor.
        int flat = Add(new FlattenLayer("flatten"), avgPool);
        int features = model.InferShapes()[flat][1];
        x = Add(new BatchNorm1dLayer(ctx, "bn1d", features), flat);
        x = Add(new LinearLayer(ctx, "fc1", features, 32, random: random), x);
        x = Add(new DropoutLayer("dropout", 0.3f, seed: 9), x);
        x = Add(new DropConnectLinearLayer(ctx, "dropconnect", 32, 16, p: 0.4f, seed: 4, random: random), x);
        x = Add(new ReshapeLayer("reshape", 4, -1), x);
        x = Add(new BatchNorm1dLayer(ctx, "bn1d.channels", 4), x);
        x = Add(new FlattenLayer("flatten2", axis: -2), x);
        x = Add(new LinearLayer(ctx, "fc2", 16, 10, random: random), x);
        int softmax = Add(new SoftmaxLayer("softmax", axis: 1), x);
        int logSoftmax = Add(new SoftmaxLayer("log_softmax", axis: -1, logarithm: true), x);
        int pooledFc = Add(new DropConnectLinearLayer(ctx, "dropconnect.pooled", 8, 5, p: 0.5f, seed: 8, random: random), gap);

        model.SetOutputs(softmax, logSoftmax, pooledFc, ratio, up, padConstant, padReflect, padEdge, crop, dilatedPool, avgExclude, lpPool);
        return model;
    }
}

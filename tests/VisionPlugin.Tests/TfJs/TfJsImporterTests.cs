using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.TfJs;
using static VisionPlugin.Tests.TfJs.KerasReference;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// Small hand-made Keras models imported and run on the GPU, against <see cref="KerasReference"/> (NHWC, written from
/// TensorFlow's definitions): asymmetric ZeroPadding2D, TF SAME on even inputs, depthwise with a multiplier,
/// separable, grouped and dilated convolutions, batch norm with and without scale, pooling, merges, Flatten into
/// Dense (the (h,w,c) vs (c,h,w) permutation), Sequential models and unknown input sizes.
/// </summary>
[Collection("Gpu")]
public sealed class TfJsImporterTests(GpuFixture gpu)
{
    private const double Atol = 1e-4, Rtol = 1e-4;

    [Fact]
    public void MobileNetStyleBlock_Uint8ModuleShards_MatchesTheReference()
    {
        using var dir = new TempDirectory();
        var w = new KerasModelWriter()
            .Input("input_1", 13, 12, 3)
            .Layer("ZeroPadding2D", "pad", Cfg.Of(("padding", Cfg.Pairs((0, 1), (0, 1)))), "input_1")
            .Layer("Conv2D", "conv1", Cfg.Of(("filters", 4), ("kernel_size", Cfg.Ints(3, 3)), ("strides", Cfg.Ints(2, 2)), ("padding", "valid"), ("activation", "relu6")), "pad")
            .Layer("DepthwiseConv2D", "dw", Cfg.Of(("kernel_size", 3), ("strides", 2), ("padding", "same"), ("depth_multiplier", 2)), "conv1")
            .Layer("BatchNormalization", "bn1", Cfg.Of(("axis", -1), ("epsilon", 0.001), ("scale", false)), "dw")
            .Layer("ReLU", "relu1", Cfg.Of(("max_value", 6.0), ("negative_slope", 0), ("threshold", 0)), "bn1")
            .Layer("Conv2D", "project", Cfg.Of(("filters", 5), ("kernel_size", 1), ("use_bias", false)), "relu1")
            .Layer("BatchNormalization", "bn2", Cfg.Of(("axis", Cfg.Ints(3)), ("epsilon", 0.01)), "project")
            .Layer("SeparableConv2D", "sep", Cfg.Of(("filters", 6), ("kernel_size", 3), ("padding", "same"), ("activation", "relu")), "bn2")
            .Layer("MaxPooling2D", "mp", Cfg.Of(("pool_size", 2), ("padding", "same")), "sep")
            .Layer("AveragePooling2D", "ap", Cfg.Of(("pool_size", Cfg.Ints(3, 3)), ("strides", Cfg.Ints(1, 1)), ("padding", "same")), "mp")
            .Layer("Flatten", "flat", Cfg.Of(), "ap")
            .Layer("Dropout", "drop", Cfg.Of(("rate", 0.5)), "flat")
            .Layer("Dense", "d1", Cfg.Of(("units", 7), ("activation", "relu")), "drop")
            .Layer("Dense", "d2", Cfg.Of(("units", 3), ("activation", "softmax")), "d1")
            .RandomWeight("conv1/kernel", [3, 3, 3, 4], 10).RandomWeight("conv1/bias", [4], 11)
            .RandomWeight("dw/depthwise_kernel", [3, 3, 4, 2], 12).RandomWeight("dw/bias", [8], 13)
            .RandomWeight("bn1/beta", [8], 14).RandomWeight("bn1/moving_mean", [8], 15).RandomWeight("bn1/moving_variance", [8], 16, 0.5, 2)
            .RandomWeight("project/kernel", [1, 1, 8, 5], 17)
            .RandomWeight("bn2/gamma", [5], 18, 0.5, 1.5).RandomWeight("bn2/beta", [5], 19)
            .RandomWeight("bn2/moving_mean", [5], 20).RandomWeight("bn2/moving_variance", [5], 21, 0.5, 2)
            .RandomWeight("sep/depthwise_kernel", [3, 3, 5, 1], 22).RandomWeight("sep/pointwise_kernel", [1, 1, 5, 6], 23).RandomWeight("sep/bias", [6], 24)
            .RandomWeight("d1/kernel", [24, 7], 25).RandomWeight("d1/bias", [7], 26)
            .RandomWeight("d2/kernel", [7, 3], 27).RandomWeight("d2/bias", [3], 28)
            .Outputs("d2", "bn2");
        w.Write(dir.Path, new ModelFileOptions { Storage = WeightStorage.Uint8, ModuleShards = true, ModuleModelFile = true, ShardCount = 2 });
        var p = w.Decoded(WeightStorage.Uint8);

        Nhwc x = Input(2, 13, 12, 3, seed: 5);
        Nhwc h = Pad(x, 0, 1, 0, 1);
        h = Map(Conv(h, p["conv1/kernel"], 3, 3, 4, p["conv1/bias"], stride: 2), Relu6);
        h = Depthwise(h, p["dw/depthwise_kernel"], 3, 3, 2, p["dw/bias"], stride: 2, same: true);
        h = Map(BatchNorm(h, null, p["bn1/beta"], p["bn1/moving_mean"], p["bn1/moving_variance"], 0.001), Relu6);
        h = Conv(h, p["project/kernel"], 1, 1, 5, null);
        Nhwc bn2 = BatchNorm(h, p["bn2/gamma"], p["bn2/beta"], p["bn2/moving_mean"], p["bn2/moving_variance"], 0.01);
        h = Depthwise(bn2, p["sep/depthwise_kernel"], 3, 3, 1, null, same: true);
        h = Map(Conv(h, p["sep/pointwise_kernel"], 1, 1, 6, p["sep/bias"]), v => Math.Max(v, 0));
        h = Pool(h, 2, 2, 2, same: true, max: true);
        h = Pool(h, 3, 3, 1, same: true, max: false);
        Assert.Equal((2, 2, 6), (h.H, h.W, h.C));
        h = Map(Dense(h.Flatten(), p["d1/kernel"], 7, p["d1/bias"]), v => Math.Max(v, 0));
        Nhwc d2 = Softmax(Dense(h, p["d2/kernel"], 3, p["d2/bias"]));

        gpu.Run(ctx =>
        {
            using Model model = TfJsImporter.Import(ctx, dir.Path);
            Assert.Equal(new TensorShape(3, 13, 12), model.InputShapes[0]);
            Conv2dLayer dw = model.Layers.OfType<Conv2dLayer>().Single(l => l.Name == "dw");
            Assert.Equal(new Padding2d(0, 0, 1, 1), dw.Options.Padding); // TF SAME on 6x6, stride 2: bottom/right only
            Assert.Equal(4, dw.Options.Groups); // one group per input channel, depth multiplier 2
            Assert.Equal(new TensorShape(8, 1, 3, 3), dw.Weight.Shape);
            Assert.Contains(model.Layers, l => l.Name == "conv1.relu6");
            Assert.Contains(model.Layers, l => l.Name == "sep.depthwise");
            using Tensor input = Upload(ctx, x);
            IReadOnlyList<Tensor> outputs = model.ForwardAll([input], training: false);
            AssertClose("d2", d2, outputs[0]);
            AssertClose("bn2", bn2, outputs[1]);
        });
    }

    [Fact]
    public void SameStrideTwoOnEvenInput_DilatedGroupedConvAndCropping_Float16BinShards_MatchTheReference()
    {
        using var dir = new TempDirectory();
        var w = new KerasModelWriter()
            .Input("in", 8, 10, 4)
            .Layer("Conv2D", "c1", Cfg.Of(("filters", 4), ("kernel_size", 3), ("strides", 2), ("padding", "same"), ("activation", "tanh")), "in")
            .Layer("Conv2D", "c2", Cfg.Of(("filters", 4), ("kernel_size", 3), ("dilation_rate", 2), ("padding", "same"), ("groups", 2), ("activation", "sigmoid")), "c1")
            .Layer("Cropping2D", "crop", Cfg.Of(("cropping", Cfg.Pairs((1, 0), (0, 1)))), "c2")
            .Layer("GlobalAveragePooling2D", "gap", Cfg.Of(), "crop")
            .RandomWeight("c1/kernel", [3, 3, 4, 4], 30).RandomWeight("c1/bias", [4], 31)
            .RandomWeight("c2/kernel", [3, 3, 2, 4], 32).RandomWeight("c2/bias", [4], 33)
            .Outputs("gap", "c1");
        w.Write(dir.Path, new ModelFileOptions { Storage = WeightStorage.Float16, ShardCount = 2 });
        var p = w.Decoded(WeightStorage.Float16);

        Nhwc x = Input(2, 8, 10, 4, seed: 6);
        Nhwc c1 = Map(Conv(x, p["c1/kernel"], 3, 3, 4, p["c1/bias"], stride: 2, same: true), Math.Tanh);
        Assert.Equal((4, 5), (c1.H, c1.W));
        Nhwc h = Map(Conv(c1, p["c2/kernel"], 3, 3, 4, p["c2/bias"], same: true, dilation: 2, groups: 2), v => 1 / (1 + Math.Exp(-v)));
        h = GlobalAverage(Crop(h, 1, 0, 0, 1));

        gpu.Run(ctx =>
        {
            using Model model = TfJsImporter.Import(ctx, dir.File("model.json"));
            Assert.Equal(new Padding2d(0, 0, 1, 1), model.Layers.OfType<Conv2dLayer>().Single(l => l.Name == "c1").Options.Padding);
            using Tensor input = Upload(ctx, x);
            IReadOnlyList<Tensor> outputs = model.ForwardAll([input], training: false);
            Assert.Equal(new TensorShape(2, 4), outputs[0].Shape);
            AssertClose("gap", h, outputs[0]);
            AssertClose("c1", c1, outputs[1]);
        });
    }

    [Fact]
    public void Merges_Concatenate_GlobalPoolKeepDims_Reshape_MatchTheReference()
    {
        using var dir = new TempDirectory();
        var w = new KerasModelWriter()
            .Input("in", 6, 5, 4)
            .Layer("Conv2D", "a", Cfg.Of(("filters", 4), ("kernel_size", 1)), "in")
            .Layer("ReLU", "b", Cfg.Of(), "in")
            .Layer("Add", "add", Cfg.Of(), "a", "b")
            .Layer("Subtract", "sub", Cfg.Of(), "add", "a")
            .Layer("Multiply", "mul", Cfg.Of(), "sub", "b")
            .Layer("LeakyReLU", "leaky", Cfg.Of(("alpha", 0.2)), "a")
            .Layer("Concatenate", "cat", Cfg.Of(("axis", -1)), "mul", "leaky")
            .Layer("Activation", "act", Cfg.Of(("activation", "relu")), "cat")
            .Layer("GlobalAveragePooling2D", "gap", Cfg.Of(("keepdims", true)), "act")
            .Layer("Reshape", "vec", Cfg.Of(("target_shape", Cfg.Ints(-1))), "gap")
            .Layer("Dense", "out", Cfg.Of(("units", 2)), "vec")
            .RandomWeight("a/kernel", [1, 1, 4, 4], 40).RandomWeight("a/bias", [4], 41)
            .RandomWeight("out/kernel", [8, 2], 42).RandomWeight("out/bias", [2], 43)
            .Outputs("out", "cat");
        w.Write(dir.Path);
        var p = w.Decoded(WeightStorage.Float32);

        Nhwc x = Input(2, 6, 5, 4, seed: 7);
        Nhwc a = Conv(x, p["a/kernel"], 1, 1, 4, p["a/bias"]);
        Nhwc b = Map(x, v => Math.Max(v, 0));
        Nhwc mul = Zip(Zip(Zip(a, b, (u, v) => u + v), a, (u, v) => u - v), b, (u, v) => u * v);
        Nhwc cat = Concat(mul, Map(a, v => v > 0 ? v : 0.2 * v));
        Nhwc pooled = GlobalAverage(Map(cat, v => Math.Max(v, 0)));
        Nhwc output = Dense(pooled.Flatten(), p["out/kernel"], 2, p["out/bias"]);

        gpu.Run(ctx =>
        {
            using Model model = TfJsImporter.Import(ctx, dir.Path);
            using Tensor input = Upload(ctx, x);
            IReadOnlyList<Tensor> outputs = model.ForwardAll([input], training: false);
            AssertClose("out", output, outputs[0]);
            AssertClose("cat", cat, outputs[1]);
        });
    }

    [Fact]
    public void Sequential_VectorModelWithBatchNorm_MatchesTheReference()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.json"), """
            {"modelTopology": {"class_name": "Sequential", "config": {"name": "seq", "layers": [
              {"class_name": "Dense", "config": {"name": "d1", "units": 3, "activation": "tanh", "batch_input_shape": [null, 4]}},
              {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "epsilon": 0.001, "center": false}},
              {"class_name": "Dense", "config": {"name": "d2", "units": 2, "use_bias": false}}]}},
             "weightsManifest": [{"paths": ["w.bin"], "weights": [
              {"name": "d1/kernel", "shape": [4, 3], "dtype": "float32"}, {"name": "d1/bias", "shape": [3], "dtype": "float32"},
              {"name": "bn/gamma", "shape": [3], "dtype": "float32"}, {"name": "bn/moving_mean", "shape": [3], "dtype": "float32"},
              {"name": "bn/moving_variance", "shape": [3], "dtype": "float32"}, {"name": "d2/kernel", "shape": [3, 2], "dtype": "float32"}]}]}
            """);
        float[] k1 = TestData.ToFloat(TestData.Uniform(50, 12)), b1 = [0.1f, -0.2f, 0.3f];
        float[] gamma = [1.5f, 0.5f, 2f], mean = [0.1f, 0f, -0.1f], variance = [0.5f, 1f, 2f], k2 = TestData.ToFloat(TestData.Uniform(51, 6));
        File.WriteAllBytes(dir.File("w.bin"), KerasModelWriter.Encode([.. k1, .. b1, .. gamma, .. mean, .. variance, .. k2], WeightStorage.Float32).Bytes);

        Nhwc x = Input(3, 1, 1, 4, seed: 8);
        Nhwc h = Map(Dense(x, k1, 3, b1), Math.Tanh);
        h = Dense(BatchNorm(h, gamma, null, mean, variance, 0.001), k2, 2, null);
        gpu.Run(ctx =>
        {
            using Model model = TfJsImporter.Import(ctx, dir.Path);
            Assert.Equal("seq", model.Name);
            Assert.IsType<BatchNorm1dLayer>(model.Layers.Single(l => l.Name == "bn"));
            using var input = Tensor.FromData(ctx, new TensorShape(3, 4), x.ToNchw());
            AssertClose("d2", h, model.Forward(input, training: false));
        });
    }

    [Fact]
    public void UnknownInputSize_TakesTheImportOptionsShape_AndOutputsCanBeChosen()
    {
        using var dir = new TempDirectory();
        var w = new KerasModelWriter()
            .Input("in", null, null, 2)
            .Layer("Conv2D", "c", Cfg.Of(("filters", 3), ("kernel_size", 3), ("strides", 2), ("padding", "same")), "in")
            .Layer("Activation", "after", Cfg.Of(("activation", "relu")), "c")
            .RandomWeight("c/kernel", [3, 3, 2, 3], 60).RandomWeight("c/bias", [3], 61)
            .Outputs("after");
        w.Write(dir.Path);
        var p = w.Decoded(WeightStorage.Float32);
        Nhwc x = Input(1, 7, 6, 2, seed: 9);
        Nhwc c = Conv(x, p["c/kernel"], 3, 3, 3, p["c/bias"], stride: 2, same: true);
        gpu.Run(ctx =>
        {
            var options = new TfJsImportOptions { InputShape = [7, 6, 2], Outputs = ["c"], ModelName = "trunk" };
            using Model model = TfJsImporter.Import(ctx, dir.Path, options);
            Assert.Equal("trunk", model.Name);
            Assert.Equal(new TensorShape(2, 7, 6), model.InputShapes[0]);
            Assert.DoesNotContain(model.Layers, l => l.Name == "after");
            Assert.Equal(new Padding2d(1, 0, 1, 1), model.Layers.OfType<Conv2dLayer>().Single().Options.Padding); // 7 -> 4: 1/1; 6 -> 3: 0/1
            using Tensor input = Upload(ctx, x);
            AssertClose("c", c, model.Forward(input, training: false));
        });
    }

    private static double Relu6(double v) => Math.Min(Math.Max(v, 0), 6);

    private static Nhwc Crop(Nhwc x, int top, int bottom, int left, int right)
    {
        var y = Nhwc.Zeros(x.N, x.H - top - bottom, x.W - left - right, x.C);
        for (int n = 0; n < x.N; n++)
            for (int i = 0; i < y.H; i++)
                for (int j = 0; j < y.W; j++)
                    for (int c = 0; c < x.C; c++)
                        y[n, i, j, c] = x[n, i + top, j + left, c];
        return y;
    }

    /// <summary>Seeded input, rounded to float so the reference sees what the GPU sees.</summary>
    private static Nhwc Input(int n, int h, int w, int c, int seed) =>
        new(n, h, w, c, TestData.RoundToFloat(TestData.Uniform(seed, n * h * w * c)));

    private static Tensor Upload(GpuContext ctx, Nhwc x) => Tensor.FromData(ctx, new TensorShape(x.N, x.C, x.H, x.W), x.ToNchw());

    /// <summary>Compares a reference NHWC result with an engine tensor (NCHW maps, [N,F] vectors).</summary>
    private static void AssertClose(string layer, Nhwc expected, Tensor actual)
    {
        bool map = actual.Shape.Rank == 4;
        TensorShape shape = map ? new TensorShape(expected.N, expected.C, expected.H, expected.W) : new TensorShape(expected.N, expected.C * expected.H * expected.W);
        Assert.Equal(shape, actual.Shape);
        double[] values = map ? NchwDouble(expected) : expected.Data;
        TensorAssert.Close("tfjs import", layer, shape, values, actual.ToArray(), Atol, Rtol);
    }

    private static double[] NchwDouble(Nhwc x)
    {
        var result = new double[x.Data.Length];
        for (int n = 0; n < x.N; n++)
            for (int y = 0; y < x.H; y++)
                for (int w = 0; w < x.W; w++)
                    for (int c = 0; c < x.C; c++)
                        result[((n * x.C + c) * x.H + y) * x.W + w] = x[n, y, w, c];
        return result;
    }
}

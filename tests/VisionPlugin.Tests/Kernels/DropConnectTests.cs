using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// DropConnect linear: GPU masked weight, forward and backward vs a double reference whose mask is rebuilt from
/// the counter RNG, reference backward vs finite differences, kept fraction, seeding, inference and validation.
/// </summary>
[Collection("Gpu")]
public sealed class DropConnectTests(GpuFixture gpu)
{
    /// <summary>(name, input shape, output features, p, stream seed, bias).</summary>
    public static TheoryData<string, int[], int, float, uint, bool> Cases => new()
    {
        { "[3,7] -> 5, p 0.5", [3, 7], 5, 0.5f, 11u, true },
        { "[2,3,2,2] flattened -> 6, p 0.3", [2, 3, 2, 2], 6, 0.3f, 12u, true },
        { "[1,13] -> 9, p 0.8, no bias", [1, 13], 9, 0.8f, 13u, false },
        { "[5,4] -> 3, p 0", [5, 4], 3, 0f, 14u, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_and_inference_match_reference_on_gpu(string name, int[] inDims, int outFeatures, float p, uint seed, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        int batch = inDims[0], inFeatures = xs.ElementCount / batch;
        var ws = new TensorShape(outFeatures, inFeatures);
        var ys = new TensorShape(batch, outFeatures);
        var bs = new TensorShape(outFeatures);
        double[] x = TestData.RoundToFloat(TestData.Uniform(141, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(142, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(143, outFeatures)) : null;
        double[] dy = TestData.RoundToFloat(TestData.Uniform(144, ys.ElementCount));
        bool[] keep = DropoutReference.Mask(seed, ws.ElementCount, p);
        string parameters = $"{name}; weight {ws}, p {p}, seed {seed}";
        double[] yRef = DropoutReference.DropConnectForward(x, batch, w, outFeatures, b, keep, p);
        var (dxRef, dwRef, dbRef) = DropoutReference.DropConnectBackward(x, batch, w, outFeatures, keep, p, dy);
        double[] yInference = DropoutReference.DropConnectForward(x, batch, w, outFeatures, b, null, p);
        var (dxInf, dwInf, _) = DropoutReference.DropConnectBackward(x, batch, w, outFeatures, null, p, dy);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, bs, TestData.ToFloat(b));
            using var masked = new Tensor(ctx, ws);
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dwt = new Tensor(ctx, ws);
            using var dbt = new Tensor(ctx, bs);

            DropConnect.MaskWeight(wt, masked, p, seed);
            TensorAssert.Close("DropConnect masked weight", parameters, ws, DropoutReference.MaskedWeight(w, keep, p), masked.ToArray(), 1e-6, 1e-6);
            DropConnect.Forward(xt, masked, bt, yt);
            TensorAssert.Close("DropConnect training forward", parameters, ys, yRef, yt.ToArray());

            dxt.Fill(123f); // overwritten, not accumulated
            DropConnect.BackwardInput(dyt, masked, dxt);
            TensorAssert.Close("DropConnect backward input", parameters, xs, dxRef, dxt.ToArray());
            DropConnect.BackwardWeight(xt, dyt, dwt, p, seed, training: true);
            DropConnect.BackwardWeight(xt, dyt, dwt, p, seed, training: true);
            TensorAssert.Close("DropConnect backward weight (accumulated twice)", parameters, ws, dwRef.Select(v => 2 * v).ToArray(), dwt.ToArray());
            DropConnect.BackwardBias(dyt, dbt);
            TensorAssert.Close("DropConnect backward bias", parameters, bs, dbRef, dbt.ToArray());

            DropConnect.Forward(xt, wt, bt, yt);
            TensorAssert.Close("DropConnect inference forward", parameters, ys, yInference, yt.ToArray());
            DropConnect.BackwardInput(dyt, wt, dxt);
            TensorAssert.Close("DropConnect inference backward input", parameters, xs, dxInf, dxt.ToArray());
            DropConnect.BackwardWeight(xt, dyt, dwt, p, seed, training: false, accumulate: false);
            TensorAssert.Close("DropConnect inference backward weight", parameters, ws, dwInf, dwt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name, int[] inDims, int outFeatures, float p, uint seed, bool hasBias)
    {
        var xs = new TensorShape(inDims);
        int batch = inDims[0], inFeatures = xs.ElementCount / batch;
        var ws = new TensorShape(outFeatures, inFeatures);
        double[] x = TestData.Uniform(151, xs.ElementCount);
        double[] w = TestData.Uniform(152, ws.ElementCount);
        double[] b = TestData.Uniform(153, outFeatures);
        double[] dy = TestData.Uniform(154, batch * outFeatures);
        bool[] keep = DropoutReference.Mask(seed, ws.ElementCount, p);
        string parameters = $"{name}; p {p}";
        double[]? bias = hasBias ? b : null;
        var (dx, dw, db) = DropoutReference.DropConnectBackward(x, batch, w, outFeatures, keep, p, dy);
        FiniteDifference.Check("DropConnect", parameters, "input", xs, v => DropoutReference.DropConnectForward(v, batch, w, outFeatures, bias, keep, p), x, dy, dx);
        FiniteDifference.Check("DropConnect", parameters, "weight", ws, v => DropoutReference.DropConnectForward(x, batch, v, outFeatures, bias, keep, p), w, dy, dw);
        FiniteDifference.Check("DropConnect", parameters, "bias", new TensorShape(outFeatures), v => DropoutReference.DropConnectForward(x, batch, w, outFeatures, v, keep, p), b, dy, db);
    }

    [Fact]
    public void Layer_masks_follow_seed_and_step_and_keep_one_minus_p()
    {
        const int inFeatures = 300, outFeatures = 200, batch = 2;
        const float p = 0.35f;
        var xs = new TensorShape(batch, inFeatures);
        double[] x = TestData.RoundToFloat(TestData.Uniform(161, xs.ElementCount));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(162, batch * outFeatures));
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, new TensorShape(batch, outFeatures), TestData.ToFloat(dy));
            using var a = new DropConnectLinearLayer(ctx, "fc", inFeatures, outFeatures, p, seed: 5, random: new Random(1));
            using var b = new DropConnectLinearLayer(ctx, "fc", inFeatures, outFeatures, p, seed: 5, random: new Random(1));
            a.Bias!.Value.Upload(TestData.ToFloat(TestData.RoundToFloat(TestData.Uniform(163, outFeatures))));
            b.Bias!.Value.Upload(a.Bias.Value.ToArray());
            double[] w = a.Weight.Value.ToArray().Select(v => (double)v).ToArray();
            double[] bias = a.Bias.Value.ToArray().Select(v => (double)v).ToArray();

            float[] a0 = a.Forward(xt, training: true).ToArray();
            bool[] keep0 = DropoutReference.Mask(DropoutReference.LayerStream(5, 0), w.Length, p);
            string parameters = $"DropConnectLinearLayer {inFeatures}->{outFeatures}, p {p}";
            var ys = new TensorShape(batch, outFeatures);
            TensorAssert.Close("step 0 forward", parameters, ys, DropoutReference.DropConnectForward(x, batch, w, outFeatures, bias, keep0, p), a0);
            double kept = keep0.Count(k => k) / (double)keep0.Length;
            double sigma = Math.Sqrt(p * (1 - p) / keep0.Length);
            Assert.True(Math.Abs(kept - (1 - p)) < 5 * sigma, $"kept fraction {kept:F4}, expected {1 - p:F4}");

            Tensor dx = a.Backward(dyt, needInputGradient: true)!;
            var (dxRef, dwRef, dbRef) = DropoutReference.DropConnectBackward(x, batch, w, outFeatures, keep0, p, dy);
            TensorAssert.Close("step 0 input gradient", parameters, xs, dxRef, dx.ToArray());
            TensorAssert.Close("step 0 weight gradient", parameters, a.Weight.Shape, dwRef, a.Weight.Gradient.ToArray());
            TensorAssert.Close("step 0 bias gradient", parameters, new TensorShape(outFeatures), dbRef, a.Bias.Gradient.ToArray());

            Assert.Equal(a0, b.Forward(xt, training: true).ToArray());    // same seed and step: same mask
            float[] a1 = a.Forward(xt, training: true).ToArray();
            Assert.NotEqual(a0, a1);                                       // next step: new mask
            Assert.Equal(2, a.Step);

            double[] inference = DropoutReference.DropConnectForward(x, batch, w, outFeatures, bias, null, p);
            TensorAssert.Close("inference uses W", parameters, ys, inference, a.Forward(xt, training: false).ToArray());
            a.Frozen = true;
            TensorAssert.Close("frozen uses W", parameters, ys, inference, a.Forward(xt, training: true).ToArray());
            Assert.Equal(2, a.Step);
        });
    }

    [Fact]
    public void Bad_probability_and_shapes_are_refused()
    {
        gpu.Run(ctx =>
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DropConnectLinearLayer(ctx, "fc", 4, 3, p: 1f));
            Assert.Equal("p", e.ParamName);
            using var layer = new DropConnectLinearLayer(ctx, "fc", 6, 3, weightInit: Initializer.XavierUniform());
            var shape = Assert.Throws<ArgumentException>(() => layer.OutputShape(new TensorShape(2, 7)));
            Assert.Contains("[2,7]", shape.Message);
            Assert.Contains("[3,6]", shape.Message);
            Assert.Equal(new TensorShape(2, 3), layer.OutputShape(new TensorShape(2, 2, 3)));
            using var w = new Tensor(ctx, 3, 6);
            using var masked = new Tensor(ctx, 6, 3);
            Assert.Throws<ArgumentOutOfRangeException>(() => DropConnect.MaskWeight(w, w, 1f, 0));
            var m = Assert.Throws<ArgumentException>(() => DropConnect.MaskWeight(w, masked, 0.5f, 0));
            Assert.Contains("[3,6]", m.Message);
            Assert.Contains("[6,3]", m.Message);
        });
    }
}

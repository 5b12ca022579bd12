using VisionPlugin.Engine;
using VisionPlugin.Engine.Initializers;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Linear (and the GEMM under it) proven three ways: GPU forward vs reference, GPU backward vs
/// reference, reference backward vs finite differences; then through LinearLayer in a Model.
/// </summary>
[Collection("Gpu")]
public sealed class LinearTests(GpuFixture gpu)
{
    /// <summary>(batch, in, out, bias).</summary>
    public static TheoryData<int, int, int, bool> Cases => new()
    {
        { 3, 37, 11, true },
        { 3, 37, 11, false },
        { 1, 5, 1, true },
        { 7, 1, 9, true },
        { 17, 65, 33, false },
        { 9, 130, 6, true },
        { 12, 64, 20, true },     // multiples of 4: vec4 loads in all three products
    };

    /// <summary>
    /// Cases plus shapes too large for finite differences: 8x8 tiles with vec4 loads and ragged
    /// edges (forward of the first, the weight gradient of the second, the input gradient of the third).
    /// </summary>
    public static TheoryData<int, int, int, bool> GpuCases
    {
        get
        {
            TheoryData<int, int, int, bool> cases = Cases;
            cases.Add(200, 68, 188, true);
            cases.Add(12, 260, 180, false);
            cases.Add(180, 36, 260, true);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(GpuCases))]
    public void Forward_and_backward_match_reference_on_gpu(int batch, int inFeatures, int outFeatures, bool hasBias)
    {
        var xs = new TensorShape(batch, inFeatures);
        var ws = new TensorShape(outFeatures, inFeatures);
        var ys = new TensorShape(batch, outFeatures);
        double[] x = TestData.RoundToFloat(TestData.Uniform(1, xs.ElementCount));
        double[] w = TestData.RoundToFloat(TestData.Uniform(2, ws.ElementCount));
        double[]? b = hasBias ? TestData.RoundToFloat(TestData.Uniform(3, outFeatures)) : null;
        double[] dy = TestData.RoundToFloat(TestData.Uniform(4, ys.ElementCount));
        string parameters = $"input {xs}, weight {ws}, bias {hasBias}";

        double[] yRef = LinearReference.Forward(x, xs, w, ws, b);
        var (dxRef, dwRef, dbRef) = LinearReference.Backward(x, xs, w, ws, dy);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var wt = Tensor.FromData(ctx, ws, TestData.ToFloat(w));
            using var bt = b is null ? null : Tensor.FromData(ctx, new TensorShape(outFeatures), TestData.ToFloat(b));
            using var yt = new Tensor(ctx, ys);
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dwt = new Tensor(ctx, ws);
            using var dbt = new Tensor(ctx, new TensorShape(outFeatures));

            yt.Fill(123f); // overwritten
            Linear.Forward(xt, wt, bt, yt);
            TensorAssert.Close("Linear forward", parameters, ys, yRef, yt.ToArray());

            dxt.Fill(123f); // overwritten, not accumulated
            Linear.BackwardInput(dyt, wt, dxt);
            TensorAssert.Close("Linear backward input", parameters, xs, dxRef, dxt.ToArray());
            Linear.BackwardInput(dyt, wt, dxt, accumulate: true);
            TensorAssert.Close("Linear backward input (accumulate)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray());

            // Parameter gradients accumulate: two backward passes give twice the gradient.
            Linear.BackwardWeight(xt, dyt, dwt);
            Linear.BackwardWeight(xt, dyt, dwt);
            TensorAssert.Close("Linear backward weight (accumulated twice)", parameters, ws, dwRef.Select(v => 2 * v).ToArray(), dwt.ToArray());
            Linear.BackwardWeight(xt, dyt, dwt, accumulate: false);
            TensorAssert.Close("Linear backward weight (overwrite)", parameters, ws, dwRef, dwt.ToArray());

            Linear.BackwardBias(dyt, dbt);
            TensorAssert.Close("Linear backward bias", parameters, new TensorShape(outFeatures), dbRef, dbt.ToArray());
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(int batch, int inFeatures, int outFeatures, bool hasBias)
    {
        var xs = new TensorShape(batch, inFeatures);
        var ws = new TensorShape(outFeatures, inFeatures);
        double[] x = TestData.Uniform(11, xs.ElementCount);
        double[] w = TestData.Uniform(12, ws.ElementCount);
        double[]? b = hasBias ? TestData.Uniform(13, outFeatures) : null;
        double[] dy = TestData.Uniform(14, batch * outFeatures);
        string parameters = $"input {xs}, weight {ws}";
        var (dx, dw, db) = LinearReference.Backward(x, xs, w, ws, dy);

        FiniteDifference.Check("Linear", parameters, "input", xs, v => LinearReference.Forward(v, xs, w, ws, b), x, dy, dx);
        FiniteDifference.Check("Linear", parameters, "weight", ws, v => LinearReference.Forward(x, xs, v, ws, b), w, dy, dw);
        if (b is not null)
            FiniteDifference.Check("Linear", parameters, "bias", new TensorShape(outFeatures), v => LinearReference.Forward(x, xs, w, ws, v), b, dy, db);
    }

    /// <summary>(A shape, B shape, transposeA, transposeB).</summary>
    public static TheoryData<int[], int[], bool, bool> GemmCases => new()
    {
        { [5, 7], [7, 9], false, false },
        { [7, 5], [7, 9], true, false },
        { [5, 7], [9, 7], false, true },
        { [7, 5], [9, 7], true, true },
        { [3, 6, 13], [3, 13, 5], false, false },
        { [2, 3, 6, 13], [13, 5], false, false },     // B broadcast over the batch
        { [1, 13, 6], [4, 5, 13], true, true },       // A broadcast over the batch
        { [8, 12], [12, 16], false, false },          // vec4 loads: A along k, B along n
        { [12, 8], [16, 12], true, true },            // vec4 loads: A along m, B along k
        { [2, 3, 8, 12], [12, 20], false, false },    // vec4 loads with a broadcast B
        { [2, 128, 20], [2, 20, 140], false, false }, // 8x8 tiles, ragged last column tile
        { [2, 20, 132], [2, 140, 20], true, true },   // 8x8 tiles, A along m, B along k
        { [12, 8], [12, 16], true, false },          // vec4 loads along m and n, K % 4 == 0: four k per loop trip (K4)
        { [12, 7], [12, 9], true, false },           // scalar loads with K % 4 == 0 (K4)
        { [2, 128, 20], [2, 20, 264], false, false }, // 8x16 tiles, vec4 stores, last column tile half full
        { [2, 20, 136], [2, 268, 20], true, true },   // 8x16 tiles, A along m, B along k, last column tile 12 wide
        { [2, 128, 12], [2, 12, 262], false, false }, // 8x16 tiles, scalar B loads and stores (N % 4 != 0)
    };

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void Gemm_batched_and_transposed_matches_reference_with_bias_alpha_and_beta(int[] aDims, int[] bDims, bool transposeA, bool transposeB) =>
        CheckGemm(aDims, bDims, transposeA, transposeB, sharedMemory: false);

    /// <summary>The same cases on matmul_shared.comp, the variant hardware renderers run (forced on here).</summary>
    [Theory]
    [MemberData(nameof(GemmCases))]
    public void Shared_memory_gemm_matches_reference_with_bias_alpha_and_beta(int[] aDims, int[] bDims, bool transposeA, bool transposeB) =>
        CheckGemm(aDims, bDims, transposeA, transposeB, sharedMemory: true);

    private void CheckGemm(int[] aDims, int[] bDims, bool transposeA, bool transposeB, bool sharedMemory)
    {
        var aShape = new TensorShape(aDims);
        var bShape = new TensorShape(bDims);
        TensorShape cShape = Gemm.OutputShape(aShape, bShape, transposeA, transposeB);
        int m = cShape[-2], n = cShape[-1], k = transposeA ? aShape[-2] : aShape[-1];
        int batchA = aShape.ElementCount / (m * k), batchB = bShape.ElementCount / (k * n);
        double[] a = TestData.RoundToFloat(TestData.Uniform(21, aShape.ElementCount));
        double[] b = TestData.RoundToFloat(TestData.Uniform(22, bShape.ElementCount));
        double[] bias = TestData.RoundToFloat(TestData.Uniform(23, n));
        double[] c0 = TestData.RoundToFloat(TestData.Uniform(24, cShape.ElementCount));
        double[] product = LinearReference.MatMul(a, batchA, b, batchB, m, n, k, transposeA, transposeB);
        // c = 0.5 * op(a) op(b) + 1 * c0 + bias[n]
        double[] expected = product.Select((p, i) => 0.5 * p + c0[i] + bias[i % n]).ToArray();
        string parameters = $"A {aShape}{(transposeA ? "^T" : "")}, B {bShape}{(transposeB ? "^T" : "")}, {(sharedMemory ? "shared-memory" : "register-blocked")} kernel";
        Assert.Equal((long)cShape.ElementCount * k, Gemm.MultiplyAdds(aShape, bShape, transposeA, transposeB));

        gpu.Run(ctx =>
        {
            bool configured = ctx.UseSharedMemoryGemm;
            ctx.UseSharedMemoryGemm = sharedMemory;
            try
            {
                using var at = Tensor.FromData(ctx, aShape, TestData.ToFloat(a));
                using var bt = Tensor.FromData(ctx, bShape, TestData.ToFloat(b));
                using var biasT = Tensor.FromData(ctx, new TensorShape(n), TestData.ToFloat(bias));
                using var ct = Tensor.FromData(ctx, cShape, TestData.ToFloat(c0));
                Gemm.Multiply(at, bt, ct, transposeA, transposeB);
                TensorAssert.Close("Gemm", parameters, cShape, product, ct.ToArray());
                ct.Upload(TestData.ToFloat(c0));
                Gemm.Multiply(at, bt, ct, transposeA, transposeB, biasT, alpha: 0.5f, beta: 1f);
                TensorAssert.Close("Gemm alpha 0.5 beta 1 bias", parameters, cShape, expected, ct.ToArray());
            }
            finally
            {
                ctx.UseSharedMemoryGemm = configured;
            }
        });
    }

    [Fact]
    public void Model_conv_flatten_linear_matches_reference_forward_and_backward()
    {
        var xs = new TensorShape(2, 3, 5, 4);
        var cws = new TensorShape(4, 3, 3, 3);
        Conv2dOptions options = Conv2dOptions.Create(padding: 1);
        TensorShape cys = Conv2d.OutputShape(xs, cws, options);           // [2,4,5,4]
        var fs = new TensorShape(2, cys.ElementCount / 2);               // [2,80]
        var lws = new TensorShape(6, fs[1]);
        var ys = new TensorShape(2, 6);
        double[] x = TestData.RoundToFloat(TestData.Uniform(31, xs.ElementCount));
        double[] cw = TestData.RoundToFloat(TestData.Uniform(32, cws.ElementCount));
        double[] cb = TestData.RoundToFloat(TestData.Uniform(33, 4));
        double[] lw = TestData.RoundToFloat(TestData.Uniform(34, lws.ElementCount, -0.3, 0.3));
        double[] lb = TestData.RoundToFloat(TestData.Uniform(35, 6));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(36, ys.ElementCount));

        // Reference: flatten keeps the row-major order, so the conv output is the linear input as is.
        double[] hidden = Conv2dReference.Forward(x, xs, cw, cws, cb, options);
        double[] yRef = LinearReference.Forward(hidden, fs, lw, lws, lb);
        var (dHidden, dlwRef, dlbRef) = LinearReference.Backward(hidden, fs, lw, lws, dy);
        var (dxRef, dcwRef, dcbRef) = Conv2dReference.Backward(x, xs, cw, cws, dHidden, options);
        const string parameters = "conv 3->4 3x3 pad 1, flatten, linear 80->6";

        gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "conv-flatten-linear", new TensorShape(3, 5, 4));
            var conv = new Conv2dLayer(ctx, "conv", 3, 4, 3, 3, options);
            var linear = new LinearLayer(ctx, "fc", fs[1], 6);
            model.Add(conv);
            model.Add(new FlattenLayer("flatten"));
            model.Add(linear);
            conv.Weight.Value.Upload(TestData.ToFloat(cw));
            conv.Bias!.Value.Upload(TestData.ToFloat(cb));
            linear.Weight.Value.Upload(TestData.ToFloat(lw));
            linear.Bias!.Value.Upload(TestData.ToFloat(lb));
            Assert.Equal(ys, model.InferShapes(2)[^1]);
            Assert.Equal(2L * 6 * 80, linear.MultiplyAdds(fs));

            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, ys, TestData.ToFloat(dy));
            Tensor y = model.Forward(xt, training: true);
            TensorAssert.Close("Model forward", parameters, ys, yRef, y.ToArray());

            IReadOnlyList<Tensor?> dx = model.Backward([dyt], inputGradients: true);
            TensorAssert.Close("Model backward input", parameters, xs, dxRef, dx[0]!.ToArray());
            TensorAssert.Close("Model backward fc.weight", parameters, lws, dlwRef, linear.Weight.Gradient.ToArray());
            TensorAssert.Close("Model backward fc.bias", parameters, new TensorShape(6), dlbRef, linear.Bias.Gradient.ToArray());
            TensorAssert.Close("Model backward conv.weight", parameters, cws, dcwRef, conv.Weight.Gradient.ToArray());
            TensorAssert.Close("Model backward conv.bias", parameters, new TensorShape(4), dcbRef, conv.Bias.Gradient.ToArray());
        });
    }

    [Fact]
    public void Frozen_linear_layer_leaves_gradients_alone_and_without_bias_has_one_parameter()
    {
        gpu.Run(ctx =>
        {
            using var layer = new LinearLayer(ctx, "fc", 4, 3, bias: false, weightInit: Initializer.XavierUniform(), random: new Random(5));
            Assert.Single(layer.Parameters);
            Assert.Equal("fc.weight", layer.Weight.Name);
            double limit = Math.Sqrt(6.0 / (4 + 3));
            Assert.All(layer.Weight.Value.ToArray(), v => Assert.True(Math.Abs(v) <= limit, $"Xavier-uniform value {v} beyond {limit}"));
            layer.Frozen = true;
            using var x = Tensor.FromData(ctx, new TensorShape(2, 4), [1, 2, 3, 4, 5, 6, 7, 8]);
            using var dy = Tensor.FromData(ctx, new TensorShape(2, 3), [1, 1, 1, 1, 1, 1]);
            layer.Forward(x, training: true);
            Assert.Null(layer.Backward(dy, needInputGradient: false));
            Assert.All(layer.Weight.Gradient.ToArray(), v => Assert.Equal(0f, v));
        });
    }

    [Fact]
    public void Mismatched_features_raise_argument_exception_naming_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Linear.OutputShape(new TensorShape(3, 36), new TensorShape(11, 37)));
        Assert.Contains("[3,36]", e.Message);
        Assert.Contains("[11,37]", e.Message);
        var rank = Assert.Throws<ArgumentException>(() => Linear.OutputShape(new TensorShape(3, 4, 2, 2), new TensorShape(11, 16)));
        Assert.Contains("[3,4,2,2]", rank.Message);
        Assert.Contains("flatten", rank.Message);
        var gemm = Assert.Throws<ArgumentException>(() => Gemm.OutputShape(new TensorShape(5, 7), new TensorShape(8, 9)));
        Assert.Contains("[5,7]", gemm.Message);
        Assert.Contains("[8,9]", gemm.Message);
        Assert.Throws<ArgumentException>(() => Gemm.OutputShape(new TensorShape(2, 5, 7), new TensorShape(3, 7, 9)));
    }

    [Fact]
    public void Wrong_output_and_bias_tensors_are_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 3, 37);
            using var w = new Tensor(ctx, 11, 37);
            using var y = new Tensor(ctx, 3, 12);
            using var b = new Tensor(ctx, 12);
            var e = Assert.Throws<ArgumentException>(() => Linear.Forward(x, w, null, y));
            Assert.Contains("[3,11]", e.Message);
            Assert.Contains("[3,12]", e.Message);
            using var yOk = new Tensor(ctx, 3, 11);
            var eb = Assert.Throws<ArgumentException>(() => Linear.Forward(x, w, b, yOk));
            Assert.Contains("[12]", eb.Message);
            Assert.Contains("[11,37]", eb.Message);
        });
    }
}

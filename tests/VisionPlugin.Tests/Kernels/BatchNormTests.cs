using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Batch normalization (1d and 2d shapes) proven three ways: GPU forward vs double reference (training and
/// inference), GPU backward vs reference, reference backward vs central finite differences.
/// </summary>
[Collection("Gpu")]
public sealed class BatchNormTests(GpuFixture gpu)
{
    /// <summary>(name, input shape): NCHW for BatchNorm2d, [N, F] and [N, C, L] for BatchNorm1d.</summary>
    public static TheoryData<string, int[]> Cases => new()
    {
        { "2d 2x3x7x5", [2, 3, 7, 5] },
        { "2d 1x4x3x3 batch of one", [1, 4, 3, 3] },
        { "2d 4x3x16x16 (split reduction)", [4, 3, 16, 16] },
        { "2d 8x2x33x17 (many splits)", [8, 2, 33, 17] },
        { "1d [N,F] 5x6", [5, 6] },
        { "1d [N,F] 2x3 (two values per feature)", [2, 3] },
        { "1d [N,C,L] 3x4x5", [3, 4, 5] },
        { "2d 3x5x9x9 (planes of 81: two chunks per plane)", [3, 5, 9, 9] },
        { "1d [N,C,L] 2x3x130 (three chunks per plane)", [2, 3, 130] },
    };

    private const float Eps = 1e-5f;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_forward_and_backward_match_reference_on_gpu(string name, int[] dims)
    {
        var xs = new TensorShape(dims);
        int c = dims[1];
        // An offset mean (around 2) makes a naive E[x^2] - E[x]^2 lose digits; Welford's merge must not.
        double[] x = TestData.RoundToFloat(TestData.Uniform(31, xs.ElementCount, 1, 3));
        double[] gamma = TestData.RoundToFloat(TestData.Uniform(32, c, 0.5, 1.5));
        double[] beta = TestData.RoundToFloat(TestData.Uniform(33, c));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(34, xs.ElementCount));
        double[] runningMean = TestData.RoundToFloat(TestData.Uniform(35, c));
        double[] runningVar = TestData.RoundToFloat(TestData.Uniform(36, c, 0.5, 2));
        var options = new BatchNormOptions { Epsilon = Eps, Momentum = 0.1f };
        string parameters = $"{name}; {options}";
        var cs = new TensorShape(c);

        var (yRef, xhatRef, inverseStdRef) = BatchNormReference.ForwardTraining(x, xs, gamma, beta, Eps);
        double[] runningMeanRef = (double[])runningMean.Clone(), runningVarRef = (double[])runningVar.Clone();
        BatchNormReference.UpdateRunning(runningMeanRef, runningVarRef, x, xs, 0.1);
        var (dxRef, dgammaRef, dbetaRef) = BatchNormReference.BackwardTraining(x, xs, gamma, dy, Eps);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var gt = Tensor.FromData(ctx, cs, TestData.ToFloat(gamma));
            using var bt = Tensor.FromData(ctx, cs, TestData.ToFloat(beta));
            using var rm = Tensor.FromData(ctx, cs, TestData.ToFloat(runningMean));
            using var rv = Tensor.FromData(ctx, cs, TestData.ToFloat(runningVar));
            using var yt = new Tensor(ctx, xs);
            using var xhat = new Tensor(ctx, xs);
            using var inverseStd = new Tensor(ctx, cs);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dgt = new Tensor(ctx, cs);
            using var dbt = new Tensor(ctx, cs);

            BatchNorm.ForwardTraining(xt, gt, bt, rm, rv, yt, xhat, inverseStd, options);
            TensorAssert.Close("BatchNorm training forward", parameters, xs, yRef, yt.ToArray());
            TensorAssert.Close("BatchNorm saved xhat", parameters, xs, xhatRef, xhat.ToArray());
            TensorAssert.Close("BatchNorm saved inverse std", parameters, cs, inverseStdRef, inverseStd.ToArray());
            TensorAssert.Close("BatchNorm running mean", parameters, cs, runningMeanRef, rm.ToArray(), 1e-5, 1e-4);
            TensorAssert.Close("BatchNorm running var (unbiased)", parameters, cs, runningVarRef, rv.ToArray(), 1e-5, 1e-4);

            dxt.Fill(123f); // overwritten, not accumulated
            BatchNorm.BackwardTraining(dyt, xhat, inverseStd, gt, dxt, dgt, dbt);
            TensorAssert.Close("BatchNorm training backward input", parameters, xs, dxRef, dxt.ToArray(), 2e-4, 2e-3);
            // Parameter gradients accumulate; a second pass that only wants them doubles them.
            BatchNorm.BackwardTraining(dyt, xhat, inverseStd, gt, null, dgt, dbt);
            TensorAssert.Close("BatchNorm backward gamma (twice)", parameters, cs, dgammaRef.Select(v => 2 * v).ToArray(), dgt.ToArray());
            TensorAssert.Close("BatchNorm backward beta (twice)", parameters, cs, dbetaRef.Select(v => 2 * v).ToArray(), dbt.ToArray());

            BatchNorm.BackwardTraining(dyt, xhat, inverseStd, gt, dxt, null, null, accumulate: true);
            TensorAssert.Close("BatchNorm training backward input (accumulated)", parameters, xs, dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), 4e-4, 2e-3);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inference_forward_and_backward_match_reference_on_gpu(string name, int[] dims)
    {
        var xs = new TensorShape(dims);
        int c = dims[1];
        double[] x = TestData.RoundToFloat(TestData.Uniform(41, xs.ElementCount, -2, 2));
        double[] gamma = TestData.RoundToFloat(TestData.Uniform(42, c, 0.5, 1.5));
        double[] beta = TestData.RoundToFloat(TestData.Uniform(43, c));
        double[] runningMean = TestData.RoundToFloat(TestData.Uniform(44, c));
        double[] runningVar = TestData.RoundToFloat(TestData.Uniform(45, c, 0.2, 3));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(46, xs.ElementCount));
        var options = new BatchNormOptions { Epsilon = 1e-3f };
        string parameters = $"{name}; {options}";
        var cs = new TensorShape(c);
        double[] yRef = BatchNormReference.Normalize(x, xs, runningMean, runningVar, gamma, beta, 1e-3f);
        var (dxRef, dgammaRef, dbetaRef) = BatchNormReference.BackwardInference(x, xs, gamma, runningMean, runningVar, dy, 1e-3f);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var gt = Tensor.FromData(ctx, cs, TestData.ToFloat(gamma));
            using var bt = Tensor.FromData(ctx, cs, TestData.ToFloat(beta));
            using var rm = Tensor.FromData(ctx, cs, TestData.ToFloat(runningMean));
            using var rv = Tensor.FromData(ctx, cs, TestData.ToFloat(runningVar));
            using var yt = new Tensor(ctx, xs);
            using var xhat = new Tensor(ctx, xs);
            using var inverseStd = new Tensor(ctx, cs);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, xs);
            using var dgt = new Tensor(ctx, cs);
            using var dbt = new Tensor(ctx, cs);

            BatchNorm.ForwardInference(xt, gt, bt, rm, rv, yt, options, xhat, inverseStd);
            TensorAssert.Close("BatchNorm inference forward", parameters, xs, yRef, yt.ToArray());
            TensorAssert.Close("BatchNorm running mean untouched", parameters, cs, runningMean, rm.ToArray(), 0, 0);
            TensorAssert.Close("BatchNorm running var untouched", parameters, cs, runningVar, rv.ToArray(), 0, 0);

            dxt.Fill(123f);
            BatchNorm.BackwardInference(dyt, xhat, inverseStd, gt, dxt, dgt, dbt);
            TensorAssert.Close("BatchNorm inference backward input", parameters, xs, dxRef, dxt.ToArray());
            TensorAssert.Close("BatchNorm inference backward gamma", parameters, cs, dgammaRef, dgt.ToArray());
            TensorAssert.Close("BatchNorm inference backward beta", parameters, cs, dbetaRef, dbt.ToArray());
        });
    }

    /// <summary>The small shapes of <see cref="Cases"/> (the split-reduction sizes add nothing to the maths).</summary>
    public static TheoryData<string, int[]> FiniteDifferenceCases => new()
    {
        { "2d 2x3x7x5", [2, 3, 7, 5] },
        { "2d 1x4x3x3 batch of one", [1, 4, 3, 3] },
        { "1d [N,F] 5x6", [5, 6] },
        { "1d [N,F] 2x3 (two values per feature)", [2, 3] },
        { "1d [N,C,L] 3x4x5", [3, 4, 5] },
    };

    [Theory]
    [MemberData(nameof(FiniteDifferenceCases))]
    public void Reference_backward_matches_finite_differences(string name, int[] dims)
    {
        var xs = new TensorShape(dims);
        int c = dims[1];
        var cs = new TensorShape(c);
        double[] x = TestData.Uniform(51, xs.ElementCount, -1, 2);
        double[] gamma = TestData.Uniform(52, c, 0.5, 1.5);
        double[] beta = TestData.Uniform(53, c);
        double[] dy = TestData.Uniform(54, xs.ElementCount);
        double[] runningMean = TestData.Uniform(55, c);
        double[] runningVar = TestData.Uniform(56, c, 0.2, 3);
        const double eps = 1e-3;

        var (dx, dgamma, dbeta) = BatchNormReference.BackwardTraining(x, xs, gamma, dy, eps);
        FiniteDifference.Check("BatchNorm training", name, "input", xs, v => BatchNormReference.ForwardTraining(v, xs, gamma, beta, eps).Y, x, dy, dx);
        FiniteDifference.Check("BatchNorm training", name, "gamma", cs, v => BatchNormReference.ForwardTraining(x, xs, v, beta, eps).Y, gamma, dy, dgamma);
        FiniteDifference.Check("BatchNorm training", name, "beta", cs, v => BatchNormReference.ForwardTraining(x, xs, gamma, v, eps).Y, beta, dy, dbeta);

        var (dxi, dgi, dbi) = BatchNormReference.BackwardInference(x, xs, gamma, runningMean, runningVar, dy, eps);
        FiniteDifference.Check("BatchNorm inference", name, "input", xs, v => BatchNormReference.Normalize(v, xs, runningMean, runningVar, gamma, beta, eps), x, dy, dxi);
        FiniteDifference.Check("BatchNorm inference", name, "gamma", cs, v => BatchNormReference.Normalize(x, xs, runningMean, runningVar, v, beta, eps), gamma, dy, dgi);
        FiniteDifference.Check("BatchNorm inference", name, "beta", cs, v => BatchNormReference.Normalize(x, xs, runningMean, runningVar, gamma, v, eps), beta, dy, dbi);
    }

    /// <summary>
    /// The kernels find each element's channel with a float-estimated quotient (channel_of.glsl); beyond 2^24 elements the
    /// float index itself rounds, so this runs BatchNorm1d inference on [2^22 + 3, 4] (one value per plane: every element's
    /// index is divided) and checks every output against y = gamma * (x - mean) / sqrt(var + eps) + beta. (The refinement
    /// step that keeps the quotient exact up to 2^30 matters only past 2^25 elements, more than one storage buffer may hold
    /// on llvmpipe, 128 MB; it is argued in the shader, not tested here.)
    /// </summary>
    [Fact]
    public void Inference_over_more_than_2_pow_24_elements_finds_every_elements_channel()
    {
        const int n = (1 << 22) + 3, c = 4;
        var xs = new TensorShape(n, c);
        var cs = new TensorShape(c);
        float[] x = new float[n * c];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 7) - 3;
        float[] gamma = [1f, 2f, 3f, 4f], beta = [10f, 20f, 30f, 40f], mean = [0.5f, -0.5f, 1f, -1f], variance = [1f, 4f, 0.25f, 9f];
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, xs, x);
            using var gt = Tensor.FromData(ctx, cs, gamma);
            using var bt = Tensor.FromData(ctx, cs, beta);
            using var rm = Tensor.FromData(ctx, cs, mean);
            using var rv = Tensor.FromData(ctx, cs, variance);
            using var yt = new Tensor(ctx, xs);
            BatchNorm.ForwardInference(xt, gt, bt, rm, rv, yt, new BatchNormOptions { Epsilon = 0f });
            float[] y = yt.ToArray();
            for (int i = 0; i < y.Length; i++)
            {
                int k = i % c;
                double expected = gamma[k] * (x[i] - mean[k]) / Math.Sqrt(variance[k]) + beta[k];
                if (Math.Abs(y[i] - expected) > 1e-4)
                    Assert.Fail($"BatchNorm1d inference [{n}, {c}]: element {i} (channel {k}) expected {expected}, got {y[i]}");
            }
        });
    }

    [Fact]
    public void Wrong_channel_count_names_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNorm.OutputShape(new TensorShape(2, 4, 5, 5), 3));
        Assert.Contains("[2,4,5,5]", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Equal("input", e.ParamName);
    }

    [Theory]
    [InlineData(-1e-5f, 0.1f, "Epsilon")]
    [InlineData(float.NaN, 0.1f, "Epsilon")]
    [InlineData(1e-5f, -0.1f, "Momentum")]
    [InlineData(1e-5f, 1.5f, "Momentum")]
    public void Out_of_range_options_are_refused(float eps, float momentum, string parameter)
    {
        var options = new BatchNormOptions { Epsilon = eps, Momentum = momentum };
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Training_with_one_value_per_channel_and_mismatched_tensors_are_refused_on_gpu()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 1, 3, 1, 1);
            using var p = new Tensor(ctx, 3);
            using var saved = new Tensor(ctx, 1, 3, 1, 1);
            using var y = new Tensor(ctx, 1, 3, 1, 1);
            var single = Assert.Throws<ArgumentException>(() => BatchNorm.ForwardTraining(x, p, p, p, p, y, saved, p, BatchNormOptions.Default));
            Assert.Contains("[1,3,1,1]", single.Message);

            using var x2 = new Tensor(ctx, 2, 3, 2, 2);
            using var y2 = new Tensor(ctx, 2, 3, 2, 2);
            using var saved2 = new Tensor(ctx, 2, 3, 2, 2);
            using var wrong = new Tensor(ctx, 4);
            var e = Assert.Throws<ArgumentException>(() => BatchNorm.ForwardTraining(x2, p, wrong, p, p, y2, saved2, p, BatchNormOptions.Default));
            Assert.Equal("beta", e.ParamName);
            Assert.Contains("[4]", e.Message);
            Assert.Contains("[2,3,2,2]", e.Message);
            var badOutput = Assert.Throws<ArgumentException>(() => BatchNorm.ForwardInference(x2, p, p, p, p, y, BatchNormOptions.Default));
            Assert.Contains("[1,3,1,1]", badOutput.Message);
            Assert.Contains("[2,3,2,2]", badOutput.Message);
        });
    }
}

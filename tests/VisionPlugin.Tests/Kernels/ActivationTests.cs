using VisionPlugin.Engine;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Every element-wise activation proven three ways (GPU forward vs reference, GPU backward vs
/// reference, reference backward vs finite differences) over the cases of <see cref="ActivationCases"/>.
/// </summary>
[Collection("Gpu")]
public sealed class ActivationTests(GpuFixture gpu)
{
    // float32 on the GPU vs double: exp/log/tanh on llvmpipe are good to a few ulps.
    private const double Atol = 1e-5, Rtol = 1e-4;

    public static TheoryData<string> Cases => ActivationCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_reference_on_gpu(string name)
    {
        ActivationCase c = ActivationCases.Get(name);
        TensorShape shape = c.Shape;
        double[] x = c.Input(seed: 1);
        double[] dy = TestData.RoundToFloat(TestData.Uniform(2, shape.ElementCount));
        double[] yRef = ActivationReference.Forward(x, c.Options, c.Training);
        double[] dxRef = ActivationReference.Backward(x, dy, c.Options, c.Training);

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, shape);
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, shape);

            Activation.Forward(xt, yt, c.Options, c.Training);
            TensorAssert.Close($"{c.Options.Kind} forward", c.Parameters, shape, yRef, yt.ToArray(), Atol, Rtol);

            dxt.Fill(float.NaN); // overwritten, not accumulated
            Activation.Backward(xt, yt, dyt, dxt, c.Options, c.Training);
            TensorAssert.Close($"{c.Options.Kind} backward", c.Parameters, shape, dxRef, dxt.ToArray(), Atol, Rtol);

            Activation.Backward(xt, yt, dyt, dxt, c.Options, c.Training, accumulate: true);
            TensorAssert.Close($"{c.Options.Kind} backward (accumulated twice)", c.Parameters, shape,
                dxRef.Select(v => 2 * v).ToArray(), dxt.ToArray(), Atol, Rtol);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_backward_matches_finite_differences(string name)
    {
        ActivationCase c = ActivationCases.Get(name);
        double[] x = c.Input(seed: 11);
        double[] dy = TestData.Uniform(12, x.Length);
        double[] dx = ActivationReference.Backward(x, dy, c.Options, c.Training);
        FiniteDifference.Check(c.Options.Kind.ToString(), c.Parameters, "input", c.Shape,
            v => ActivationReference.Forward(v, c.Options, c.Training), x, dy, dx);
    }

    [Fact]
    public void Every_kind_has_cases_in_training_or_inference()
    {
        ActivationKind[] missing = Enum.GetValues<ActivationKind>()
            .Where(kind => ActivationCases.All.All(c => c.Options.Kind != kind)).ToArray();
        Assert.Empty(missing);
    }

    /// <summary>Large |x| where naive formulas overflow (e^100 in float is inf): outputs and gradients stay finite.</summary>
    [Theory]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Softplus)]
    [InlineData(ActivationKind.Elu)]
    [InlineData(ActivationKind.Selu)]
    [InlineData(ActivationKind.Softsign)]
    [InlineData(ActivationKind.HardSigmoid)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.LeakyRelu)]
    [InlineData(ActivationKind.Relu6)]
    public void Saturating_inputs_stay_finite_and_match_reference(ActivationKind kind)
    {
        double[] x = [-1000, -100, -88.8, -50, -20, -10, -1, -1e-3, 0, 1e-3, 1, 10, 20, 50, 88.8, 100, 1000];
        x = TestData.RoundToFloat(x);
        double[] dy = x.Select((_, i) => 1.0 + i % 3).ToArray();
        ActivationOptions options = ActivationOptions.For(kind);
        var shape = new TensorShape(1, x.Length);
        string parameters = $"{options}, x from -1000 to 1000 (0 included: the derivative convention at the kink)";

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, shape);
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, shape);
            Activation.Forward(xt, yt, options, training: false);
            Activation.Backward(xt, yt, dyt, dxt, options, training: false);
            float[] y = yt.ToArray(), dx = dxt.ToArray();
            Assert.All(y, v => Assert.True(float.IsFinite(v), $"{options} forward gave {v}"));
            Assert.All(dx, v => Assert.True(float.IsFinite(v), $"{options} backward gave {v}"));
            TensorAssert.Close($"{kind} forward", parameters, shape, ActivationReference.Forward(x, options, false), y, Atol, Rtol);
            TensorAssert.Close($"{kind} backward", parameters, shape, ActivationReference.Backward(x, dy, options, false), dx, Atol, Rtol);
        });
    }

    /// <summary>Many work groups (36,960 elements): indexing and the random streams hold far from element 0.</summary>
    [Theory]
    [InlineData("rrelu training default seed 7")]
    [InlineData("noisy relu training sigma 1 seed 3")]
    [InlineData("selu")]
    public void Large_tensor_matches_reference(string name)
    {
        ActivationCase small = ActivationCases.Get(name);
        ActivationCase c = small with { Name = name + " [2,16,33,35]", Dimensions = [2, 16, 33, 35] };
        TensorShape shape = c.Shape;
        double[] x = c.Input(seed: 21);
        double[] dy = TestData.RoundToFloat(TestData.Uniform(22, shape.ElementCount));
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var yt = new Tensor(ctx, shape);
            using var dyt = Tensor.FromData(ctx, shape, TestData.ToFloat(dy));
            using var dxt = new Tensor(ctx, shape);
            Activation.Forward(xt, yt, c.Options, c.Training);
            Activation.Backward(xt, yt, dyt, dxt, c.Options, c.Training);
            TensorAssert.Close($"{c.Options.Kind} forward", c.Parameters, shape, ActivationReference.Forward(x, c.Options, c.Training), yt.ToArray(), Atol, Rtol);
            TensorAssert.Close($"{c.Options.Kind} backward", c.Parameters, shape, ActivationReference.Backward(x, dy, c.Options, c.Training), dxt.ToArray(), Atol, Rtol);
        });
    }

    [Fact]
    public void Forward_in_place_gives_the_same_result()
    {
        ActivationCase c = ActivationCases.Get("elu alpha 0.5");
        double[] x = c.Input(seed: 31);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, c.Shape, TestData.ToFloat(x));
            Activation.Forward(xt, xt, c.Options, c.Training);
            TensorAssert.Close("Elu forward in place", c.Parameters, c.Shape, ActivationReference.Forward(x, c.Options, c.Training), xt.ToArray(), Atol, Rtol);
        });
    }
}

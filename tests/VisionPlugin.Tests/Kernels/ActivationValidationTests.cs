using VisionPlugin.Engine;

namespace VisionPlugin.Tests.Kernels;

/// <summary>Bad options and mismatched shapes are refused at the public boundary with messages naming the values.</summary>
[Collection("Gpu")]
public sealed class ActivationValidationTests(GpuFixture gpu)
{
    [Fact]
    public void Clip_with_min_above_max_is_refused_naming_both()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.Clip(2f, 1f));
        Assert.Contains("min 2", e.Message);
        Assert.Contains("max 1", e.Message);
    }

    [Theory]
    [InlineData(-0.1f, 0.3f)]
    [InlineData(0.4f, 0.3f)]
    [InlineData(float.NaN, 0.3f)]
    [InlineData(0.1f, float.PositiveInfinity)]
    public void RRelu_needs_0_le_lower_le_upper(float lower, float upper)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.RRelu(lower, upper));
        Assert.Contains("RRelu", e.Message);
        Assert.Equal("options", e.ParamName);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void NoisyRelu_needs_a_non_negative_sigma(float sigma)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.NoisyRelu(sigma));
        Assert.Contains($"sigma {sigma.ToString(System.Globalization.CultureInfo.InvariantCulture)}", e.Message);
    }

    [Fact]
    public void Non_finite_alpha_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.LeakyRelu(float.NaN));
        Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.Elu(float.PositiveInfinity));
        Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.HardSigmoid(0.2f, float.NaN));
        Assert.ThrowsAny<ArgumentException>(() => (ActivationOptions.Selu() with { Scale = float.NaN }).Validate());
    }

    [Fact]
    public void Unknown_kind_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => ActivationOptions.For((ActivationKind)99));
        Assert.ThrowsAny<ArgumentException>(() => (ActivationOptions.Relu() with { Kind = (ActivationKind)99 }).Validate());
    }

    [Fact]
    public void Defaults_follow_the_usual_conventions()
    {
        Assert.Equal(0.01f, ActivationOptions.LeakyRelu().Alpha);
        Assert.Equal((1f / 8, 1f / 3), (ActivationOptions.RRelu().Lower, ActivationOptions.RRelu().Upper));
        Assert.Equal(1f, ActivationOptions.Elu().Alpha);
        Assert.Equal(1.6732632423543772, ActivationOptions.Selu().Alpha, 6);
        Assert.Equal(1.0507009873554805, ActivationOptions.Selu().Scale, 6);
        Assert.Equal((0.2f, 0.5f), (ActivationOptions.HardSigmoid().Alpha, ActivationOptions.HardSigmoid().Beta));
        Assert.Equal((0f, 6f), (ActivationOptions.Relu6().Min, ActivationOptions.Relu6().Max));
        Assert.Equal(ActivationOptions.LeakyRelu(0.25f), Activation.Effective(ActivationOptions.RRelu(0.1f, 0.4f, 9), training: false));
        Assert.Equal(ActivationOptions.Relu(), Activation.Effective(ActivationOptions.NoisyRelu(0.3f, 9), training: false));
    }

    [Fact]
    public void Options_made_invalid_with_with_are_refused_by_forward()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 4, 4);
            using var y = new Tensor(ctx, 2, 3, 4, 4);
            ActivationOptions bad = ActivationOptions.Clip(0f, 1f) with { Min = 5f };
            var e = Assert.ThrowsAny<ArgumentException>(() => Activation.Forward(x, y, bad, training: false));
            Assert.Contains("min 5", e.Message);
        });
    }

    [Fact]
    public void Forward_refuses_an_output_of_another_shape_naming_both()
    {
        gpu.Run(ctx =>
        {
            using var x = new Tensor(ctx, 2, 3, 7, 5);
            using var y = new Tensor(ctx, 2, 3, 5, 7);
            var e = Assert.Throws<ArgumentException>(() => Activation.Forward(x, y, ActivationOptions.Relu(), training: false));
            Assert.Contains("[2,3,7,5]", e.Message);
            Assert.Contains("[2,3,5,7]", e.Message);
            Assert.Equal("output", e.ParamName);
        });
    }

    [Theory]
    [InlineData("output")]
    [InlineData("gradOutput")]
    [InlineData("gradInput")]
    public void Backward_refuses_mismatched_shapes_naming_both(string wrong)
    {
        gpu.Run(ctx =>
        {
            var shape = new TensorShape(2, 3, 7, 5);
            var other = new TensorShape(2, 3, 7, 4);
            using var x = new Tensor(ctx, shape);
            using var y = new Tensor(ctx, wrong == "output" ? other : shape);
            using var dy = new Tensor(ctx, wrong == "gradOutput" ? other : shape);
            using var dx = new Tensor(ctx, wrong == "gradInput" ? other : shape);
            var e = Assert.Throws<ArgumentException>(() => Activation.Backward(x, y, dy, dx, ActivationOptions.Tanh(), training: true));
            Assert.Equal(wrong, e.ParamName);
            Assert.Contains("[2,3,7,5]", e.Message);
            Assert.Contains("[2,3,7,4]", e.Message);
        });
    }
}

using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Tests.Kernels;

/// <summary>Flatten and Reshape: shapes (ONNX Flatten axis, one inferred -1), values kept in order both ways, bad shapes refused.</summary>
[Collection("Gpu")]
public sealed class ReshapeLayerTests(GpuFixture gpu)
{
    [Theory]
    [InlineData(1, new[] { 2, 3, 4, 5 }, new[] { 2, 60 })]
    [InlineData(0, new[] { 2, 3, 4, 5 }, new[] { 1, 120 })]
    [InlineData(2, new[] { 2, 3, 4, 5 }, new[] { 6, 20 })]
    [InlineData(4, new[] { 2, 3, 4, 5 }, new[] { 120, 1 })]
    [InlineData(-1, new[] { 2, 3, 4, 5 }, new[] { 24, 5 })]
    [InlineData(-4, new[] { 2, 3, 4, 5 }, new[] { 1, 120 })]
    [InlineData(1, new[] { 3, 7 }, new[] { 3, 7 })]
    public void Flatten_output_shape_follows_onnx(int axis, int[] input, int[] expected) =>
        Assert.Equal(new TensorShape(expected), new FlattenLayer("flatten", axis).OutputShape(new TensorShape(input)));

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 12, 5 }, new[] { 2, 12, 5 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { -1 }, new[] { 2, 60 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 6, -1, 2 }, new[] { 2, 6, 5, 2 })]
    [InlineData(new[] { 3, 60 }, new[] { 15, 2, 2 }, new[] { 3, 15, 2, 2 })]
    public void Reshape_output_shape_keeps_the_batch_and_infers_minus_one(int[] input, int[] target, int[] expected) =>
        Assert.Equal(new TensorShape(expected), new ReshapeLayer("reshape", target).OutputShape(new TensorShape(input)));

    [Fact]
    public void Flatten_and_reshape_copy_values_forward_and_gradients_backward()
    {
        var shape = new TensorShape(2, 3, 2, 2);
        float[] x = TestData.ToFloat(TestData.Uniform(1, shape.ElementCount));
        float[] dy = TestData.ToFloat(TestData.Uniform(2, shape.ElementCount));
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, x);
            using var flatten = new FlattenLayer("flatten");
            using var reshape = new ReshapeLayer("reshape", 4, -1);
            Assert.Throws<InvalidOperationException>(() => flatten.Backward(xt, true));

            Tensor flat = flatten.Forward(xt, training: true);
            Assert.Equal(new TensorShape(2, 12), flat.Shape);
            Assert.Equal(x, flat.ToArray());
            Tensor reshaped = reshape.Forward(flat, training: true);
            Assert.Equal(new TensorShape(2, 4, 3), reshaped.Shape);
            Assert.Equal(x, reshaped.ToArray());

            using var dyt = Tensor.FromData(ctx, reshaped.Shape, dy);
            Tensor dFlat = reshape.Backward(dyt, true)!;
            Assert.Equal(flat.Shape, dFlat.Shape);
            Tensor dx = flatten.Backward(dFlat, true)!;
            Assert.Equal(shape, dx.Shape);
            Assert.Equal(dy, dx.ToArray());
            Assert.Null(flatten.Backward(dFlat, false));
        });
    }

    [Fact]
    public void Bad_shapes_are_refused_naming_them()
    {
        var count = Assert.Throws<ArgumentException>(() => new ReshapeLayer("r", 7, 8).OutputShape(new TensorShape(2, 3, 4, 5)));
        Assert.Contains("[2,3,4,5]", count.Message);
        Assert.Contains("[7,8]", count.Message);
        var infer = Assert.Throws<ArgumentException>(() => new ReshapeLayer("r", 7, -1).OutputShape(new TensorShape(2, 60)));
        Assert.Contains("[2,60]", infer.Message);
        Assert.Throws<ArgumentException>(() => new ReshapeLayer("r", -1, -1));
        Assert.Throws<ArgumentException>(() => new ReshapeLayer("r", 3, -2));
        var axis = Assert.Throws<ArgumentOutOfRangeException>(() => new FlattenLayer("f", 5).OutputShape(new TensorShape(2, 3, 4, 5)));
        Assert.Contains("[2,3,4,5]", axis.Message);
    }
}

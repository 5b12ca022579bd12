using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Onnx;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>
/// Operator semantics the conformance cases do not pin down: opset-dependent meanings (Softmax axis, Clip and Pad
/// inputs), auto_pad, folded shape arithmetic, element types of initializers, unknown dimensions, NHWC transposes.
/// </summary>
[Collection("Gpu")]
public sealed class OnnxImportSemanticsTests(GpuFixture gpu)
{
    private float[] Run(OnnxModel model, OnnxImportOptions? options, params OnnxTensor[] inputs) =>
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, model, options);
            return imported.Run(inputs)[0].ToFloatArray();
        });

    private float[] Run(OnnxModel model, params OnnxTensor[] inputs) => Run(model, null, inputs);

    private static double[] Widen(float[] values) => values.Select(v => (double)v).ToArray();

    [Fact]
    public void Softmax_flattens_trailing_axes_before_opset_13_and_uses_one_axis_from_13()
    {
        OnnxTensor x = GradientProbe.Random("x", 1, 2, 3, 4);
        float[] v = x.ToFloatArray();
        OnnxModel Softmax(long opset) => new TestGraph().Input("x", 2, 3, 4).Node("Softmax", ["x"], ["y"], OnnxAttribute.OfInt("axis", 1)).Output("y").Build(opset);

        // Opset 11: each of the 2 rows of 12 values is one distribution.
        var rows = new double[24];
        for (int n = 0; n < 2; n++)
        {
            double sum = Enumerable.Range(0, 12).Sum(i => Math.Exp(v[n * 12 + i]));
            for (int i = 0; i < 12; i++) rows[n * 12 + i] = Math.Exp(v[n * 12 + i]) / sum;
        }
        TensorAssert.Close("Softmax opset 11", "axis 1 of [2,3,4]", new TensorShape(2, 3, 4), rows, Run(Softmax(11), x), atol: 1e-6, rtol: 1e-5);

        // Opset 13: along axis 1 only, one distribution per (n, w).
        var axis = new double[24];
        for (int n = 0; n < 2; n++)
            for (int w = 0; w < 4; w++)
            {
                double sum = Enumerable.Range(0, 3).Sum(c => Math.Exp(v[(n * 3 + c) * 4 + w]));
                for (int c = 0; c < 3; c++) axis[(n * 3 + c) * 4 + w] = Math.Exp(v[(n * 3 + c) * 4 + w]) / sum;
            }
        TensorAssert.Close("Softmax opset 13", "axis 1 of [2,3,4]", new TensorShape(2, 3, 4), axis, Run(Softmax(13), x), atol: 1e-6, rtol: 1e-5);
    }

    [Fact]
    public void Clip_bounds_and_pad_values_given_as_inputs()
    {
        OnnxTensor x = GradientProbe.Random("x", 2, 1, 2, 3, 3);
        float[] v = x.ToFloatArray();
        OnnxModel clip = new TestGraph().Input("x", 1, 2, 3, 3).Weight("lo", [], [-0.25f]).Weight("hi", [], [0.5f])
            .Node("Clip", ["x", "lo", "hi"], ["y"]).Output("y").Build(13);
        TensorAssert.Close("Clip opset 13", "min/max inputs", new TensorShape(1, 2, 3, 3), v.Select(e => Math.Clamp((double)e, -0.25, 0.5)).ToArray(), Run(clip, x));
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, clip);
            Assert.Equal(["hi", "lo"], imported.NotDifferentiated);
            Assert.Empty(imported.FloatInitializers);
        });

        // Pad [1,2,3,3] by one row on top and two columns on the right with 7.
        OnnxModel pad = new TestGraph().Input("x", 1, 2, 3, 3).Ints("pads", 0, 0, 1, 0, 0, 0, 0, 2).Weight("value", [], [7f])
            .Node("Pad", ["x", "pads", "value"], ["y"]).Output("y").Build(13);
        var expected = new double[2 * 4 * 5];
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 5; j++)
                    expected[(c * 4 + i) * 5 + j] = i >= 1 && j < 3 ? v[(c * 3 + i - 1) * 3 + j] : 7;
        TensorAssert.Close("Pad opset 13", "pads and value inputs", new TensorShape(1, 2, 4, 5), expected, Run(pad, x));
    }

    [Fact]
    public void ReduceMean_over_the_spatial_axes_is_global_average_pooling()
    {
        OnnxTensor x = GradientProbe.Random("x", 3, 2, 3, 4, 5);
        float[] v = x.ToFloatArray();
        double[] means = Enumerable.Range(0, 6).Select(p => Enumerable.Range(0, 20).Average(i => (double)v[p * 20 + i])).ToArray();
        foreach (bool keep in new[] { true, false })
        {
            OnnxModel model = new TestGraph().Input("x", 2, 3, 4, 5)
                .Node("ReduceMean", ["x"], ["y"], OnnxAttribute.OfInts("axes", 2, -1), OnnxAttribute.OfInt("keepdims", keep ? 1 : 0)).Output("y").Build(13);
            TensorAssert.Close("ReduceMean", $"axes 2,3 keepdims {keep}", new TensorShape(6), means, Run(model, x), atol: 1e-6, rtol: 1e-5);
            gpu.Run(ctx =>
            {
                using ImportedModel imported = OnnxImporter.Load(ctx, model);
                Assert.Contains(imported.Model.Layers, l => l is GlobalAvgPoolLayer);
                Assert.Equal(keep ? new TensorShape(2, 3, 1, 1) : new TensorShape(2, 3), imported.Outputs[0].Shape);
            });
        }
    }

    [Fact]
    public void PyTorch_style_shape_arithmetic_folds_into_one_reshape()
    {
        // x.view(x.size(0), -1): Shape -> Gather(0) -> Unsqueeze -> Concat with [-1] -> Reshape.
        OnnxModel model = new TestGraph().Input("x", 2, 3, 2, 2).Ints("zero", 0).Ints("minus_one", -1)
            .Node("Shape", ["x"], ["s"])
            .Node("Gather", ["s", "zero0"], ["n"], OnnxAttribute.OfInt("axis", 0))
            .Node("Unsqueeze", ["n", "zero"], ["n1"])
            .Node("Concat", ["n1", "minus_one"], ["target"], OnnxAttribute.OfInt("axis", 0))
            .Node("Reshape", ["x", "target"], ["y"])
            .Output("y").Build(13);
        model = model with
        {
            Graph = model.Graph with { Initializers = ValueArray.From(model.Graph.Initializers.Append(OnnxTensor.FromInt64s("zero0", [], [0]))) },
        };
        OnnxTensor x = GradientProbe.Random("x", 4, 2, 3, 2, 2);
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, model);
            Assert.Equal(new TensorShape(2, 12), imported.Outputs[0].Shape);
            Assert.IsType<ReshapeToLayer>(Assert.Single(imported.Model.Layers));
            Assert.Equal(x.ToFloatArray(), imported.Run([x])[0].ToFloatArray());
        });
    }

    [Theory]
    [InlineData("SAME_UPPER", 0, 1)]
    [InlineData("SAME_LOWER", 1, 0)]
    public void Auto_pad_same_equals_the_explicit_padding(string autoPad, int before, int after)
    {
        // 3x3 kernel, stride 2 on a 6x6 input: output 3x3 needs one padded row/column in total.
        OnnxTensor x = GradientProbe.Random("x", 5, 1, 2, 6, 6);
        OnnxModel With(params OnnxAttribute[] padding) => new TestGraph().Input("x", 1, 2, 6, 6).Weight("w", [3, 2, 3, 3], 6)
            .Node("Conv", ["x", "w"], ["y"], [OnnxAttribute.OfInts("strides", 2, 2), .. padding]).Output("y").Build(13);
        float[] automatic = Run(With(OnnxAttribute.OfString("auto_pad", autoPad)), x);
        float[] explicitPads = Run(With(OnnxAttribute.OfInts("pads", before, before, after, after)), x);
        Assert.Equal(27, automatic.Length);
        TensorAssert.Close("Conv auto_pad", autoPad, new TensorShape(1, 3, 3, 3), Widen(explicitPads), automatic, atol: 1e-6, rtol: 1e-5);
    }

    [Fact]
    public void Float16_double_and_int32_initializers_are_converted()
    {
        Half[] halves = [(Half)0.5f, (Half)(-1.25f), (Half)2f];
        var raw = halves.SelectMany(h => BitConverter.GetBytes(BitConverter.HalfToUInt16Bits(h))).ToArray();
        var scale = new OnnxTensor { Name = "scale", DataType = OnnxDataType.Float16, Dims = [3, 1, 1], RawData = ValueArray.From(raw) };
        var shift = new OnnxTensor { Name = "shift", DataType = OnnxDataType.Double, Dims = [3, 1, 1], DoubleData = [0.1, 0.2, 0.3] };
        var shape = new OnnxTensor { Name = "shape", DataType = OnnxDataType.Int32, Dims = [2], Int32Data = [3, -1] };
        OnnxModel model = new TestGraph().Input("x", 1, 3, 2, 2)
            .Node("Mul", ["x", "scale"], ["m"]).Node("Add", ["m", "shift"], ["a"]).Node("Reshape", ["a", "shape"], ["y"]).Output("y").Build(13);
        model = model with { Graph = model.Graph with { Initializers = [scale, shift, shape] } };
        OnnxTensor x = GradientProbe.Random("x", 7, 1, 3, 2, 2);
        float[] v = x.ToFloatArray();
        double[] expected = v.Select((e, i) => e * (double)(float)halves[i / 4] + new[] { 0.1, 0.2, 0.3 }[i / 4]).ToArray();
        TensorAssert.Close("FLOAT16 scale, DOUBLE shift, INT32 shape", "[1,3,2,2] -> [3,4]", new TensorShape(3, 4), expected, Run(model, x), atol: 1e-6, rtol: 1e-5);
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, model);
            OnnxGradients g = imported.Gradients([x], [GradientProbe.Random("dy", 8, 3, 4)]);
            Assert.Equal(["scale", "shift"], g.Initializers.Select(p => p.Key));
            Assert.Equal(OnnxDataType.Float16, g.Initializers[0].Value.DataType);
            Assert.Equal(OnnxDataType.Double, g.Initializers[1].Value.DataType);
        });
    }

    [Fact]
    public void Unknown_dimensions_take_the_given_size_else_one()
    {
        OnnxModel model = new TestGraph().BatchInput("x", 4).Weight("w", [3, 4], 9)
            .Node("Gemm", ["x", "w"], ["y"], OnnxAttribute.OfInt("transB", 1)).Output("y").Build(13);
        gpu.Run(ctx =>
        {
            using ImportedModel one = OnnxImporter.Load(ctx, model);
            Assert.Equal(new TensorShape(1, 4), one.Inputs[0].Shape);
            using ImportedModel five = OnnxImporter.Load(ctx, model, new OnnxImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [5, 4] } });
            Assert.Equal(new TensorShape(5, 3), five.Outputs[0].Shape);
            Assert.Equal(15, five.Run([GradientProbe.Random("x", 10, 5, 4)])[0].ElementCount);
        });
    }

    [Fact]
    public void Nchw_to_nhwc_transpose_around_a_reshape_moves_the_data()
    {
        // Keras-style flatten: NCHW -> NHWC, then [N, H*W*C].
        OnnxModel model = new TestGraph().Input("x", 1, 2, 2, 3).Ints("shape", 1, -1)
            .Node("Transpose", ["x"], ["t"], OnnxAttribute.OfInts("perm", 0, 2, 3, 1)).Node("Reshape", ["t", "shape"], ["y"]).Output("y").Build(13);
        OnnxTensor x = GradientProbe.Random("x", 11, 1, 2, 2, 3);
        float[] v = x.ToFloatArray();
        var expected = new double[12];
        for (int h = 0; h < 2; h++)
            for (int w = 0; w < 3; w++)
                for (int c = 0; c < 2; c++)
                    expected[(h * 3 + w) * 2 + c] = v[(c * 2 + h) * 3 + w];
        Assert.Equal(expected, Widen(Run(model, x)));
    }

    [Fact]
    public void Scalar_and_vector_inputs_and_reshape_zero_copy_axes()
    {
        // s [] * v [3] -> [3]; Reshape with 0 keeps the axis: [3] -> [0 -> 3, 1].
        OnnxModel model = new TestGraph().Input("s").Input("v", 3).Ints("shape", 0, 1)
            .Node("Mul", ["s", "v"], ["m"]).Node("Reshape", ["m", "shape"], ["y"]).Output("y").Build(13);
        OnnxTensor s = OnnxTensor.FromFloats("s", [], [2f]), v = OnnxTensor.FromFloats("v", [3], [1f, -2f, 0.5f]);
        gpu.Run(ctx =>
        {
            using ImportedModel imported = OnnxImporter.Load(ctx, model);
            Assert.Equal(new TensorShape(Array.Empty<int>()), imported.Inputs[0].Shape);
            IReadOnlyList<OnnxTensor> y = imported.Run([s, v]);
            Assert.Equal([3L, 1], y[0].Dims);
            Assert.Equal([2f, -4f, 1f], y[0].ToFloatArray());
            OnnxGradients g = imported.Gradients([s, v], [OnnxTensor.FromFloats("dy", [3, 1], [1f, 1f, 1f])]);
            Assert.Empty(g.Inputs[0]!.Dims);
            Assert.Equal([-0.5f], g.Inputs[0]!.ToFloatArray());   // d(sum s*v)/ds = sum v
            Assert.Equal([2f, 2f, 2f], g.Inputs[1]!.ToFloatArray());
        });
    }
}

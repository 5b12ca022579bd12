using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Models;

/// <summary>
/// Graphs of layers run through <see cref="Model"/> on the GPU: the gradient of L = sum(output * g) with respect to
/// the input and every parameter is compared with central finite differences of a double-precision reference of the
/// same graph (built from the op references), evaluated at the GPU's own float values. This proves the layers'
/// Forward/Backward wiring and the model's gradient summing where a node feeds several layers; freezing a layer
/// must leave its gradients untouched while the input gradient still flows through it.
/// </summary>
[Collection("Gpu")]
public sealed class GraphModelTests(GpuFixture gpu)
{
    private const double Atol = 1e-3, Rtol = 1e-3;   // GPU float vs double finite differences

    /// <summary>The double-precision graph: (input, parameter values in Model.Parameters order) -> output.</summary>
    private delegate double[] ReferenceGraph(double[] input, double[][] parameters);

    // Residual graph: x -> conv1 -> conv2 -> (+ conv1) -> maxpool. conv1's output feeds conv2 and the Add.
    private static readonly TensorShape ResidualInput = new(2, 2, 6, 5);
    private static readonly Conv2dOptions Same3x3 = Conv2dOptions.Create(padding: 1);
    private static readonly Pool2dOptions Pool2x2 = Pool2dOptions.Create(2);

    private static Model BuildResidual(GpuContext ctx)
    {
        var model = new Model(ctx, "residual", new TensorShape(2, 6, 5));
        int conv1 = model.Add(new Conv2dLayer(ctx, "conv1", 2, 3, 3, 3, Same3x3, random: new Random(1)), 0);
        int conv2 = model.Add(new Conv2dLayer(ctx, "conv2", 3, 3, 3, 3, Same3x3, random: new Random(2)), conv1);
        int add = model.Add(new AddLayer("skip"), conv2, conv1);
        model.Add(new MaxPool2dLayer("pool", Pool2x2), add);
        return model;
    }

    private static double[] ResidualReference(double[] x, double[][] p)
    {
        TensorShape xs = ResidualInput;
        var w1 = new TensorShape(3, 2, 3, 3);
        var w2 = new TensorShape(3, 3, 3, 3);
        double[] c1 = Conv2dReference.Forward(x, xs, p[0], w1, p[1], Same3x3);
        TensorShape c1s = Conv2d.OutputShape(xs, w1, Same3x3);
        double[] c2 = Conv2dReference.Forward(c1, c1s, p[2], w2, p[3], Same3x3);
        double[] sum = ElementwiseReference.Forward(BinaryOperator.Add, c2, c1s, c1, c1s);
        return PoolingReference.MaxForward(sum, c1s, Pool2x2).Y;
    }

    // Decoder-style graph exercising the other glue layers:
    //   up = convT(x) (stride 2, output padding 1); gate = up * gap(up); diff = gate - up; cat = concat(diff, up);
    //   pad = reflect-pad(cat); avg = avgpool(pad); lp = L2-pool(avg); y = lp / globalmax(lp).
    // `up` feeds four layers and `lp` two, so the model sums gradients at both.
    private static readonly TensorShape DecoderInput = new(1, 2, 4, 3);
    private static readonly ConvTranspose2dOptions Up = ConvTranspose2dOptions.Create(stride: 2, padding: 1, outputPadding: 1);
    private static readonly Pad2dOptions Reflect1 = Pad2dOptions.Reflect(new Padding2d(1, 1, 1, 0));
    private static readonly Pool2dOptions LpWindow = Pool2dOptions.Create(2, 1);

    private static Model BuildDecoder(GpuContext ctx)
    {
        var model = new Model(ctx, "decoder", new TensorShape(2, 4, 3));
        int up = model.Add(new ConvTranspose2dLayer(ctx, "up", 2, 3, 3, 3, Up, random: new Random(3)), 0);
        int gap = model.Add(new GlobalAvgPoolLayer("gap"), up);
        int gate = model.Add(new MulLayer("gate"), up, gap);
        int diff = model.Add(new SubLayer("diff"), gate, up);
        int cat = model.Add(new ConcatLayer("cat"), diff, up);
        int pad = model.Add(new Pad2dLayer("pad", Reflect1), cat);
        int avg = model.Add(new AvgPool2dLayer("avg", Pool2x2), pad);
        int lp = model.Add(new LpPool2dLayer("lp", LpWindow, 2f), avg);
        int max = model.Add(new GlobalMaxPoolLayer("gmax"), lp);
        model.Add(new DivLayer("normalize"), lp, max);
        return model;
    }

    private static double[] DecoderReference(double[] x, double[][] p)
    {
        TensorShape xs = DecoderInput;
        var ws = new TensorShape(2, 3, 3, 3);
        TensorShape us = ConvTranspose2d.OutputShape(xs, ws, Up);
        double[] up = ConvTranspose2dReference.Forward(x, xs, p[0], ws, p[1], Up);
        double[] gap = PoolingReference.AvgForward(up, us, PoolingReference.WholePlane(us));
        var gs = new TensorShape(us.N, us.C, 1, 1);
        double[] gate = ElementwiseReference.Forward(BinaryOperator.Mul, up, us, gap, gs);
        double[] diff = ElementwiseReference.Forward(BinaryOperator.Sub, gate, us, up, us);
        double[] cat = ConcatReference.Forward([diff, up], [us, us], 1);
        TensorShape cs = Concat.OutputShape([us, us], 1);
        double[] pad = PadReference.Forward(cat, cs, Reflect1);
        TensorShape ps = Pad2d.OutputShape(cs, Reflect1);
        double[] avg = PoolingReference.AvgForward(pad, ps, Pool2x2);
        TensorShape avs = AvgPool2d.OutputShape(ps, Pool2x2);
        double[] lp = PoolingReference.LpForward(avg, avs, LpWindow, 2);
        TensorShape ls = LpPool2d.OutputShape(avs, LpWindow);
        double[] max = PoolingReference.MaxForward(lp, ls, PoolingReference.WholePlane(ls)).Y;
        return ElementwiseReference.Forward(BinaryOperator.Div, lp, ls, max, new TensorShape(ls.N, ls.C, 1, 1));
    }

    [Fact]
    public void Residual_graph_gradients_match_finite_differences() =>
        CheckGraph("residual", BuildResidual, ResidualInput, ResidualReference, frozenLayer: null);

    [Fact]
    public void Frozen_layer_accumulates_nothing_while_the_input_gradient_flows_through_it() =>
        CheckGraph("residual, conv1 frozen", BuildResidual, ResidualInput, ResidualReference, frozenLayer: "conv1");

    [Fact]
    public void Decoder_graph_of_glue_layers_gradients_match_finite_differences() =>
        CheckGraph("decoder", BuildDecoder, DecoderInput, DecoderReference, frozenLayer: null);

    [Fact]
    public void Inferred_shapes_and_multiply_adds_follow_the_layers()
    {
        gpu.Run(ctx =>
        {
            using Model model = BuildResidual(ctx);
            TensorShape[] shapes = model.InferShapes(batchSize: 2);
            Assert.Equal(new TensorShape(2, 3, 3, 2), shapes[^1]);
            Layer pool = model.Layers.Last();
            Assert.Equal(2L * 3 * 3 * 2 * 4, pool.MultiplyAdds([shapes[^2]]));
            Layer add = model.Layers.Single(l => l.Name == "skip");
            Assert.Equal((long)shapes[^2].ElementCount, add.MultiplyAdds([shapes[^2], shapes[^2]]));
        });
    }

    [Fact]
    public void Max_pool_backward_after_an_inference_forward_is_refused()
    {
        gpu.Run(ctx =>
        {
            using var layer = new MaxPool2dLayer("pool", Pool2x2);
            using var x = new Tensor(ctx, 1, 1, 4, 4);
            Tensor y = layer.Forward(x, training: false);
            Assert.Throws<InvalidOperationException>(() => layer.Backward(y, needInputGradient: true));
        });
    }

    /// <summary>
    /// Runs the graph forward and backward on the GPU with random input, parameters and output gradient g, then
    /// checks the input gradient and every trainable parameter's gradient against finite differences of
    /// sum(reference(x, p) * g); a frozen layer's gradients must keep the sentinel they were filled with.
    /// </summary>
    private void CheckGraph(string graph, Func<GpuContext, Model> build, TensorShape inputShape, ReferenceGraph reference, string? frozenLayer)
    {
        const float Sentinel = 0.25f;
        double[] x = TestData.RoundToFloat(TestData.Uniform(201, inputShape.ElementCount));
        gpu.Run(ctx =>
        {
            using Model model = build(ctx);
            IReadOnlyList<Parameter> parameters = model.Parameters;
            var random = new Random(202);
            foreach (Parameter p in parameters)   // non-zero biases too, so every term matters
                p.Value.Upload(TestData.ToFloat(TestData.Uniform(random.Next(), p.Shape.ElementCount, -0.8, 0.8)));
            double[][] values = parameters.Select(p => p.Value.ToArray().Select(v => (double)v).ToArray()).ToArray();

            using var xt = Tensor.FromData(ctx, inputShape, TestData.ToFloat(x));
            Tensor y = model.Forward(xt, training: true);
            double[] yRef = reference(x, values);
            TensorAssert.Close($"{graph} forward", "model vs reference", y.Shape, yRef, y.ToArray(), Atol, Rtol);

            model.ZeroGradients();
            if (frozenLayer is not null)
            {
                Layer frozen = model.Layers.Single(l => l.Name == frozenLayer);
                frozen.Frozen = true;
                foreach (Parameter p in frozen.Parameters) p.Gradient.Fill(Sentinel);
            }
            double[] g = TestData.RoundToFloat(TestData.Uniform(203, y.ElementCount));
            using var gt = Tensor.FromData(ctx, y.Shape, TestData.ToFloat(g));
            IReadOnlyList<Tensor?> inputGradients = model.Backward([gt], inputGradients: true);

            double[] dx = FiniteDifference.Gradient(v => reference(v, values), x, g);
            TensorAssert.Close($"{graph} gradient wrt input", "model vs finite differences", inputShape, dx, inputGradients[0]!.ToArray(), Atol, Rtol);

            for (int i = 0; i < parameters.Count; i++)
            {
                Parameter p = parameters[i];
                float[] actual = p.Gradient.ToArray();
                if (!p.Trainable)
                {
                    Assert.All(actual, v => Assert.Equal(Sentinel, v));
                    continue;
                }
                int index = i;
                double[] numeric = FiniteDifference.Gradient(
                    v => reference(x, values.Select((old, k) => k == index ? v : old).ToArray()), values[i], g);
                TensorAssert.Close($"{graph} gradient wrt {p.Name}", "model vs finite differences", p.Shape, numeric, actual, Atol, Rtol);
            }
            if (frozenLayer is not null) Assert.Contains(parameters, p => !p.Trainable);
        });
    }
}

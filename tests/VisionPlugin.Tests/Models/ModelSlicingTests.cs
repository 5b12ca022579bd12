using VisionPlugin.Engine;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Tests.Models;

[Collection("Gpu")]
public sealed class ModelSlicingTests(GpuFixture gpu)
{
    [Fact]
    public void Front_then_tail_equals_the_whole_model_and_tail_gradients_match()
    {
        gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, seed: 3);
            int cut = ModelSlicing.NodeOf(model, "block1.relu2"); // block boundary: one tensor crosses
            using Model front = ModelSlicing.Front(model, cut);
            using Model tail = ModelSlicing.Tail(model, cut);
            var random = new Random(1);
            float[] values = Enumerable.Range(0, 2 * 3 * 12 * 12).Select(_ => (float)random.NextDouble()).ToArray();
            using var x = Tensor.FromData(ctx, new TensorShape(2, 3, 12, 12), values);

            float[] whole = model.Forward(x, training: false).ToArray();
            Tensor cutValue = front.Forward(x, training: false);
            Assert.Equal("[2,8,6,6]", cutValue.Shape.ToString());
            using var cached = new Tensor(ctx, cutValue.Shape);
            TensorMath.Copy(cutValue, cached);
            float[] sliced = tail.Forward(cached, training: false).ToArray();
            TensorAssert.Close("front+tail", "tiny-resnet cut at block1.relu2", new TensorShape(2, 5), whole.Select(v => (double)v).ToArray(), sliced, 1e-6, 1e-6);

            // Tail-only training touches only tail parameters.
            model.ZeroGradients();
            using var g = Tensor.FromData(ctx, new TensorShape(2, 5), Enumerable.Repeat(1f, 10).ToArray());
            tail.Forward(cached, training: true);
            tail.Backward(g);
            Assert.All(front.Parameters, p => Assert.All(p.Gradient.ToArray(), v => Assert.Equal(0f, v)));
            Assert.Contains(tail.Parameters, p => p.Gradient.ToArray().Any(v => v != 0));
        });
        // The views did not free the shared layers: the model still runs.
        gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, seed: 3);
            using (ModelSlicing.Tail(model, ModelSlicing.NodeOf(model, "block1.relu2"))) { }
            using var x = new Tensor(ctx, 1, 3, 12, 12);
            Assert.Equal("[1,5]", model.Forward(x, training: false).Shape.ToString());
        });
    }

    [Fact]
    public void A_cut_crossed_by_a_skip_connection_is_refused()
    {
        gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, seed: 3);
            var e = Assert.Throws<ArgumentException>(() => ModelSlicing.Tail(model, ModelSlicing.NodeOf(model, "block1.bn1")));
            Assert.Contains("block1.add", e.Message);
        });
    }
}

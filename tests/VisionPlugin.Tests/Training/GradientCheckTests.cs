using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Training;

namespace VisionPlugin.Tests.Training;

/// <summary>The user-facing whole-network gradient check: passes on a correct network, catches a wrong backward.</summary>
[Collection("Gpu")]
public sealed class GradientCheckTests(GpuFixture gpu)
{
    private static Tensor RandomInput(GpuContext ctx, int seed)
    {
        var random = new Random(seed);
        var values = new float[2 * 3 * 12 * 12];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromData(ctx, new TensorShape(2, 3, 12, 12), values);
    }

    [Fact]
    public void Tiny_resnet_backprop_agrees_with_central_differences_on_the_gpu()
    {
        gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, seed: 0, activation: ActivationOptions.Elu(), maxPool: false);
            using Tensor input = RandomInput(ctx, 1);
            IReadOnlyList<GradientCheckResult> results = GradientCheck.Run(model, input, samplesPerTensor: 8, seed: 0);
            Assert.Equal(1 + model.Parameters.Count, results.Count);
            Assert.All(results, r => Assert.True(r.MaxRelativeError < 0.05,
                $"{r.Name} {r.Shape}: relative error {r.MaxRelativeError:E2} at {r.WorstIndex} (backprop {r.AnalyticAtWorst:G5}, numeric {r.NumericAtWorst:G5})"));
            Assert.All(results, r => Assert.True(r.Checked > 0, r.Name));
        });
    }

    [Fact]
    public void A_wrong_backward_is_caught()
    {
        gpu.Run(ctx =>
        {
            using var model = new Model(ctx, "broken", new TensorShape(3, 12, 12));
            model.Add(new Conv2dLayer(ctx, "conv", 3, 4, 3, 3, Conv2dOptions.Create(padding: 1)));
            model.Add(new DoublingBackwardLayer("broken"));
            model.Add(new FlattenLayer("flatten"));
            model.Add(new LinearLayer(ctx, "fc", 4 * 12 * 12, 3));
            using Tensor input = RandomInput(ctx, 2);
            IReadOnlyList<GradientCheckResult> results = GradientCheck.Run(model, input, samplesPerTensor: 6, seed: 0);
            Assert.True(results.Single(r => r.Name == "conv.weight").MaxRelativeError > 0.3);
            Assert.True(results.Single(r => r.Name == "input").MaxRelativeError > 0.3);
            Assert.True(results.Single(r => r.Name == "fc.weight").MaxRelativeError < 0.05); // downstream of the bug: still right
        });
    }

    /// <summary>Identity forward whose backward returns 2 * dy: a deliberately wrong gradient.</summary>
    private sealed class DoublingBackwardLayer(string name) : UnaryLayer(name)
    {
        private Tensor? _output, _gradInput;

        public override TensorShape OutputShape(TensorShape input) => input;

        public override Tensor Forward(Tensor input, bool training)
        {
            Tensor output = Ensure(ref _output, input.Context, input.Shape);
            TensorMath.Copy(input, output);
            return output;
        }

        public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
        {
            Tensor gradInput = Ensure(ref _gradInput, gradOutput.Context, gradOutput.Shape);
            TensorMath.Axpby(gradOutput, gradInput, alpha: 2f, beta: 0f);
            return gradInput;
        }

        public override void Dispose()
        {
            _output?.Dispose();
            _gradInput?.Dispose();
            base.Dispose();
        }
    }
}

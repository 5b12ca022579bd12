using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// BatchNorm1d/2d layers: training steps update the running statistics as PyTorch does, evaluation uses
/// them, a frozen layer behaves as in evaluation and accumulates no scale/shift gradient.
/// </summary>
[Collection("Gpu")]
public sealed class BatchNormLayerTests(GpuFixture gpu)
{
    [Theory]
    [InlineData("2d", new[] { 2, 3, 7, 5 })]
    [InlineData("1d [N,F]", new[] { 6, 5 })]
    [InlineData("1d [N,C,L]", new[] { 3, 4, 5 })]
    public void Three_training_steps_then_eval_match_reference(string kind, int[] dims)
    {
        var xs = new TensorShape(dims);
        int c = dims[1];
        var options = new BatchNormOptions { Epsilon = 1e-5f, Momentum = 0.3f };
        double[][] batches = Enumerable.Range(0, 3)
            .Select(step => TestData.RoundToFloat(TestData.Uniform(60 + step, xs.ElementCount, -1 + step, 2 + 2 * step))).ToArray();
        double[] dy = TestData.RoundToFloat(TestData.Uniform(64, xs.ElementCount));
        double[] gamma = Enumerable.Repeat(1.0, c).ToArray(), beta = new double[c];
        double[] runningMean = new double[c], runningVar = Enumerable.Repeat(1.0, c).ToArray();
        string parameters = $"BatchNorm{kind} {xs}; {options}";

        gpu.Run(ctx =>
        {
            using BatchNormLayer layer = kind == "2d"
                ? new BatchNorm2dLayer(ctx, "bn", c, options)
                : new BatchNorm1dLayer(ctx, "bn", c, options);
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));
            double[] dgammaRef = new double[c], dbetaRef = new double[c];
            for (int step = 0; step < 3; step++)
            {
                using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(batches[step]));
                Tensor y = layer.Forward(xt, training: true);
                TensorAssert.Close($"step {step} training output", parameters, xs,
                    BatchNormReference.ForwardTraining(batches[step], xs, gamma, beta, options.Epsilon).Y, y.ToArray());
                BatchNormReference.UpdateRunning(runningMean, runningVar, batches[step], xs, options.Momentum);

                Tensor dx = layer.Backward(dyt, needInputGradient: true)!;
                var (dxRef, dg, db) = BatchNormReference.BackwardTraining(batches[step], xs, gamma, dy, options.Epsilon);
                TensorAssert.Close($"step {step} input gradient", parameters, xs, dxRef, dx.ToArray(), 2e-4, 2e-3);
                for (int ch = 0; ch < c; ch++) { dgammaRef[ch] += dg[ch]; dbetaRef[ch] += db[ch]; }
            }
            var cs = new TensorShape(c);
            TensorAssert.Close("running mean after 3 steps", parameters, cs, runningMean, layer.RunningMean.ToArray(), 1e-5, 1e-4);
            TensorAssert.Close("running var after 3 steps", parameters, cs, runningVar, layer.RunningVariance.ToArray(), 1e-5, 1e-4);
            TensorAssert.Close("gamma gradient accumulated over 3 steps", parameters, cs, dgammaRef, layer.Scale.Gradient.ToArray());
            TensorAssert.Close("beta gradient accumulated over 3 steps", parameters, cs, dbetaRef, layer.Shift.Gradient.ToArray());

            // Evaluation: the affine map with the running statistics, which differs from the batch-statistics output.
            using var last = Tensor.FromData(ctx, xs, TestData.ToFloat(batches[2]));
            float[] eval = layer.Forward(last, training: false).ToArray();
            TensorAssert.Close("eval output uses running statistics", parameters, xs,
                BatchNormReference.Normalize(batches[2], xs, runningMean, runningVar, gamma, beta, options.Epsilon), eval);
            float[] train = layer.Forward(last, training: true).ToArray();
            Assert.True(eval.Zip(train).Max(p => Math.Abs(p.First - p.Second)) > 0.1f, "train and eval outputs should differ");
        });
    }

    [Fact]
    public void A_channel_with_non_finite_batch_statistics_keeps_its_running_statistics()
    {
        var xs = new TensorShape(2, 3, 4, 4);
        float[] x = TestData.ToFloat(TestData.Uniform(80, xs.ElementCount));
        x[1 * 16 + 5] = float.NaN;                // sample 0, channel 1
        x[(3 + 2) * 16 + 7] = float.PositiveInfinity; // sample 1, channel 2
        gpu.Run(ctx =>
        {
            using var layer = new BatchNorm2dLayer(ctx, "bn", 3);
            layer.RunningMean.Upload([0.25f, 0.5f, 0.75f]);
            layer.RunningVariance.Upload([1f, 2f, 3f]);
            using var xt = Tensor.FromData(ctx, xs, x);
            layer.Forward(xt, training: true);
            float[] mean = layer.RunningMean.ToArray(), variance = layer.RunningVariance.ToArray();
            // Channel 0 is finite: the usual update (momentum 0.1 towards the batch mean of values in [-1, 1)).
            Assert.NotEqual(0.25f, mean[0]);
            Assert.True(float.IsFinite(mean[0]) && float.IsFinite(variance[0]), $"channel 0: {mean[0]}, {variance[0]}");
            // Channels 1 (NaN) and 2 (+Inf) keep their values instead of turning NaN for good.
            Assert.Equal([0.5f, 0.75f], mean[1..]);
            Assert.Equal([2f, 3f], variance[1..]);
        });
    }

    [Fact]
    public void Frozen_layer_behaves_as_eval_and_accumulates_no_parameter_gradient()
    {
        var xs = new TensorShape(2, 3, 7, 5);
        double[] x = TestData.RoundToFloat(TestData.Uniform(70, xs.ElementCount, -1, 2));
        double[] dy = TestData.RoundToFloat(TestData.Uniform(71, xs.ElementCount));
        double[] gamma = TestData.RoundToFloat(TestData.Uniform(72, 3, 0.5, 1.5));
        double[] beta = TestData.RoundToFloat(TestData.Uniform(73, 3));
        double[] runningMean = TestData.RoundToFloat(TestData.Uniform(74, 3));
        double[] runningVar = TestData.RoundToFloat(TestData.Uniform(75, 3, 0.5, 2));
        const string parameters = "frozen BatchNorm2d [2,3,7,5]";

        gpu.Run(ctx =>
        {
            using var layer = new BatchNorm2dLayer(ctx, "bn", 3);
            layer.Scale.Value.Upload(TestData.ToFloat(gamma));
            layer.Shift.Value.Upload(TestData.ToFloat(beta));
            layer.RunningMean.Upload(TestData.ToFloat(runningMean));
            layer.RunningVariance.Upload(TestData.ToFloat(runningVar));
            layer.Frozen = true;
            Assert.False(layer.Scale.Trainable);
            Assert.False(layer.Shift.Trainable);
            using var xt = Tensor.FromData(ctx, xs, TestData.ToFloat(x));
            using var dyt = Tensor.FromData(ctx, xs, TestData.ToFloat(dy));

            float[] eval = layer.Forward(xt, training: false).ToArray();
            float[] train = layer.Forward(xt, training: true).ToArray();
            double[] expected = BatchNormReference.Normalize(x, xs, runningMean, runningVar, gamma, beta, 1e-5);
            TensorAssert.Close("frozen eval output", parameters, xs, expected, eval);
            TensorAssert.Close("frozen training output (= eval)", parameters, xs, expected, train);
            TensorAssert.Close("running mean unchanged", parameters, new TensorShape(3), runningMean, layer.RunningMean.ToArray(), 0, 0);
            TensorAssert.Close("running var unchanged", parameters, new TensorShape(3), runningVar, layer.RunningVariance.ToArray(), 0, 0);

            Tensor dx = layer.Backward(dyt, needInputGradient: true)!;
            var (dxRef, _, _) = BatchNormReference.BackwardInference(x, xs, gamma, runningMean, runningVar, dy, 1e-5);
            TensorAssert.Close("frozen input gradient (affine derivative)", parameters, xs, dxRef, dx.ToArray());
            Assert.All(layer.Scale.Gradient.ToArray(), v => Assert.Equal(0f, v));
            Assert.All(layer.Shift.Gradient.ToArray(), v => Assert.Equal(0f, v));
        });
    }

    [Fact]
    public void Names_buffers_and_rank_checks()
    {
        gpu.Run(ctx =>
        {
            using var bn2 = new BatchNorm2dLayer(ctx, "features.1", 4);
            Assert.Equal(["features.1.weight", "features.1.bias"], bn2.Parameters.Select(p => p.Name));
            Assert.All(bn2.Parameters, p => Assert.False(p.DecayWeights));
            Assert.Equal(["features.1.running_mean", "features.1.running_var"], bn2.Buffers.Select(b => b.Name));
            Assert.All(bn2.Scale.Value.ToArray(), v => Assert.Equal(1f, v));
            Assert.All(bn2.RunningVariance.ToArray(), v => Assert.Equal(1f, v));

            var rank = Assert.Throws<ArgumentException>(() => bn2.OutputShape(new TensorShape(2, 4, 5)));
            Assert.Contains("[2,4,5]", rank.Message);
            var channels = Assert.Throws<ArgumentException>(() => bn2.OutputShape(new TensorShape(2, 3, 5, 5)));
            Assert.Contains("[2,3,5,5]", channels.Message);
            Assert.Contains("[4]", channels.Message);

            using var bn1 = new BatchNorm1dLayer(ctx, "bn1", 6);
            Assert.Equal(new TensorShape(8, 6), bn1.OutputShape(new TensorShape(8, 6)));
            Assert.Equal(new TensorShape(8, 6, 10), bn1.OutputShape(new TensorShape(8, 6, 10)));
            Assert.Throws<ArgumentException>(() => bn1.OutputShape(new TensorShape(8, 6, 2, 2)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1dLayer(ctx, "bad", 6, new BatchNormOptions { Epsilon = -1f }));

            using var x = new Tensor(ctx, 2, 6);
            bn1.Forward(x, training: false);
            Assert.Throws<InvalidOperationException>(() => bn1.Backward(x, true)); // no training Forward saved xhat
        });
    }
}

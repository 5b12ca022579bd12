using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Optimizers;

namespace VisionPlugin.Tests.Optimizers;

/// <summary>Clipping by global norm (reduced on the GPU) and by value, checked with hand-computed numbers.</summary>
[Collection("Gpu")]
public sealed class GradientClippingTests(GpuFixture gpu)
{
    /// <summary>Parameters a = [3, 4] and b = [0, 0, 12] have a global gradient norm of 13; frozen c has a huge gradient that must not count.</summary>
    private static void WithKnownGradients(GpuContext ctx, Action<Parameter[]> test)
    {
        var a = new Parameter(ctx, "a", new TensorShape(2));
        var b = new Parameter(ctx, "b", new TensorShape(3));
        var c = new Parameter(ctx, "c", new TensorShape(2)) { Trainable = false };
        try
        {
            a.Gradient.Upload([3f, 4f]);
            b.Gradient.Upload([0f, 0f, 12f]);
            c.Gradient.Upload([1000f, -1000f]);
            test([a, b, c]);
        }
        finally
        {
            a.Dispose();
            b.Dispose();
            c.Dispose();
        }
    }

    [Fact]
    public void Norm_above_the_limit_scales_all_gradients_together()
    {
        gpu.Run(ctx => WithKnownGradients(ctx, parameters =>
        {
            // maxNorm 6.5 of norm 13: every gradient is halved (up to the 1e-6 guard); SGD with lr 1 moves w by -g/2.
            using var sgd = new Sgd(parameters, new SgdOptions { LearningRate = 1f, Clipping = GradientClipping.ByNorm(6.5f) });
            sgd.Step();
            double scale = 6.5 / (13 + 1e-6);
            TensorAssert.Close("clip norm", "a", parameters[0].Shape, [-3 * scale, -4 * scale], parameters[0].Value.ToArray(), 1e-6, 1e-6);
            TensorAssert.Close("clip norm", "b", parameters[1].Shape, [0, 0, -12 * scale], parameters[1].Value.ToArray(), 1e-6, 1e-6);
            Assert.Equal(13f, sgd.ReadLastGradientNorm()!.Value, 1e-5f);
            Assert.Equal([0f, 0f], parameters[2].Value.ToArray());
            Assert.Equal([0f, 0f], parameters[2].Gradient.ToArray());
        }));
    }

    [Fact]
    public void Norm_below_the_limit_leaves_gradients_unchanged()
    {
        gpu.Run(ctx => WithKnownGradients(ctx, parameters =>
        {
            using var sgd = new Sgd(parameters, new SgdOptions { LearningRate = 1f, Clipping = GradientClipping.ByNorm(20f) });
            sgd.Step();
            Assert.Equal([-3f, -4f], parameters[0].Value.ToArray());
            Assert.Equal([0f, 0f, -12f], parameters[1].Value.ToArray());
            Assert.Equal(13f, sgd.ReadLastGradientNorm()!.Value, 1e-5f);
        }));
    }

    [Fact]
    public void Norm_is_recomputed_every_step_and_only_over_trainable_parameters()
    {
        gpu.Run(ctx => WithKnownGradients(ctx, parameters =>
        {
            using var sgd = new Sgd(parameters, new SgdOptions { LearningRate = 1f, Clipping = GradientClipping.ByNorm(100f) });
            sgd.Step();
            Assert.Equal(13f, sgd.ReadLastGradientNorm()!.Value, 1e-5f);
            parameters[1].Trainable = false;                 // b frozen: only a = [6, 8] counts
            parameters[0].Gradient.Upload([6f, 8f]);
            parameters[1].Gradient.Upload([100f, 100f, 100f]);
            sgd.Step();
            Assert.Equal(10f, sgd.ReadLastGradientNorm()!.Value, 1e-5f);
        }));
    }

    [Fact]
    public void Norm_of_large_tensors_matches_double_precision()
    {
        // 300001 elements need more than the 1024 slices one tensor may use; 1000 more in a second tensor.
        int[] sizes = [300_001, 1000, 7];
        double[][] gradients = sizes.Select((n, i) => TestData.RoundToFloat(TestData.Uniform(40 + i, n))).ToArray();
        double expected = Math.Sqrt(gradients.Sum(g => g.Sum(v => v * v)));
        gpu.Run(ctx =>
        {
            var parameters = sizes.Select((n, i) => new Parameter(ctx, $"p{i}", new TensorShape(n))).ToArray();
            try
            {
                for (int i = 0; i < sizes.Length; i++) parameters[i].Gradient.Upload(TestData.ToFloat(gradients[i]));
                using var sgd = new Sgd(parameters, new SgdOptions { LearningRate = 0f, Clipping = GradientClipping.ByNorm(1f) });
                sgd.Step();
                Assert.Equal(expected, sgd.ReadLastGradientNorm()!.Value, expected * 1e-5);
            }
            finally
            {
                foreach (Parameter p in parameters) p.Dispose();
            }
        });
    }

    [Fact]
    public void Value_clipping_clamps_each_element()
    {
        gpu.Run(ctx =>
        {
            using var p = new Parameter(ctx, "p", new TensorShape(5));
            p.Gradient.Upload([-2f, -0.1f, 0.1f, 5f, 0.5f]);
            using var sgd = new Sgd([p], new SgdOptions { LearningRate = 1f, Clipping = GradientClipping.ByValue(0.5f) });
            sgd.Step();
            Assert.Equal([0.5f, 0.1f, -0.1f, -0.5f, -0.5f], p.Value.ToArray());
            Assert.Null(sgd.ReadLastGradientNorm());
        });
    }

    [Fact]
    public void Clipping_applies_to_the_raw_gradient_before_the_penalty()
    {
        gpu.Run(ctx =>
        {
            // w = 10, g = 3, clip value 1, L2 0.5: g' = clamp(3) + 0.5 * 10 = 6, so w = 10 - 0.1 * 6 = 9.4.
            using var p = new Parameter(ctx, "p", new TensorShape(1));
            p.Value.Upload([10f]);
            p.Gradient.Upload([3f]);
            using var sgd = new Sgd([p], new SgdOptions
            {
                LearningRate = 0.1f, Clipping = GradientClipping.ByValue(1f), Regularization = Regularization.L2Penalty(0.5f),
            });
            sgd.Step();
            Assert.Equal(9.4f, p.Value.ToArray()[0], 1e-6f);
        });
    }
}

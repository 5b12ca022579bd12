using VisionPlugin.Engine;
using VisionPlugin.Engine.Losses;
using VisionPlugin.Tests.Reference;

namespace VisionPlugin.Tests.Kernels;

/// <summary>
/// Losses proven three ways (GPU loss vs reference, GPU gradient vs reference gradient, reference
/// gradient vs finite differences), for each reduction; large-logit stability; bad inputs; accuracy.
/// </summary>
[Collection("Gpu")]
public sealed class LossTests(GpuFixture gpu)
{
    private const int Batch = 5, Classes = 7;

    public static TheoryData<LossReduction, bool> CrossEntropyCases => new()
    {
        { LossReduction.Mean, false },
        { LossReduction.Sum, false },
        { LossReduction.BatchMean, false },
        { LossReduction.Mean, true },
        { LossReduction.Sum, true },
    };

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Cross_entropy_matches_reference_on_gpu(LossReduction reduction, bool softTargets)
    {
        var shape = new TensorShape(Batch, Classes);
        double[] logits = TestData.RoundToFloat(TestData.Uniform(1, shape.ElementCount, -3, 3));
        int[] labels = [3, 0, 6, 3, 1];
        double[] targets = TestData.RoundToFloat(SoftTargets(2, Batch, Classes));
        CheckCrossEntropyOnGpu(shape, logits, labels, softTargets ? targets : null, reduction, $"{reduction}, soft {softTargets}");
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Cross_entropy_reference_backward_matches_finite_differences(LossReduction reduction, bool softTargets)
    {
        var shape = new TensorShape(Batch, Classes);
        double[] logits = TestData.Uniform(11, shape.ElementCount, -3, 3);
        int[] labels = [1, 6, 0, 2, 2];
        double[]? targets = softTargets ? SoftTargets(12, Batch, Classes) : null;
        double[] grad = LossReference.CrossEntropyBackward(logits, Batch, Classes, softTargets ? null : labels, targets, reduction);
        FiniteDifference.Check("SoftmaxCrossEntropy", $"{reduction}, soft {softTargets}", "logits", shape,
            v => [LossReference.CrossEntropy(v, Batch, Classes, softTargets ? null : labels, targets, reduction)], logits, [1.0], grad);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cross_entropy_of_logits_near_1e4_is_finite_and_has_the_right_gradient(bool softTargets)
    {
        var shape = new TensorShape(4, 5);
        // Widely spread, nearly tied and all-equal rows of huge logits; a naive exp() overflows on each.
        double[] logits = TestData.RoundToFloat([
            1e4, -1e4, 9999.5, 0, 5000,
            1e4, 1e4 - 1, 1e4 - 2, 1e4 - 0.5, 1e4 - 3,
            -1e4, -1e4, -1e4, -1e4, -1e4,
            -9000, 9000, 8999, -1, 1]);
        int[] labels = [1, 2, 4, 0];
        double[] targets = TestData.RoundToFloat(SoftTargets(31, 4, 5));
        CheckCrossEntropyOnGpu(shape, logits, labels, softTargets ? targets : null, LossReduction.Mean, $"logits ~1e4, soft {softTargets}");
    }

    /// <summary>(kind: 0 BCE with logits, 1 MSE, 2 KL; reduction).</summary>
    public static TheoryData<int, LossReduction> ElementwiseCases => new()
    {
        { 0, LossReduction.Mean }, { 0, LossReduction.Sum },
        { 1, LossReduction.Mean }, { 1, LossReduction.Sum }, { 1, LossReduction.BatchMean },
        { 2, LossReduction.Mean }, { 2, LossReduction.Sum }, { 2, LossReduction.BatchMean },
    };

    [Theory]
    [MemberData(nameof(ElementwiseCases))]
    public void Elementwise_loss_matches_reference_on_gpu(int kind, LossReduction reduction)
    {
        var shape = new TensorShape(3, 7, 2);
        var (x, t) = ElementwiseInputs(kind, shape, 41);
        x = TestData.RoundToFloat(x);
        t = TestData.RoundToFloat(t);
        double lossRef = LossReference.Elementwise(kind, x, t, shape[0], reduction);
        double[] gradRef = LossReference.ElementwiseBackward(kind, x, t, shape[0], reduction);
        ElementwiseLoss loss = Create(kind, reduction);
        string parameters = $"{reduction}";

        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(x));
            using var tt = Tensor.FromData(ctx, shape, TestData.ToFloat(t));
            using var grad = new Tensor(ctx, shape);
            using var lossOnGpu = new Tensor(ctx, 1);
            float value = loss.Forward(xt, tt);
            AssertScalar($"{loss.Name} forward", parameters, lossRef, value);
            loss.Forward(xt, tt, lossOnGpu);
            AssertScalar($"{loss.Name} forward into a GPU tensor", parameters, lossRef, lossOnGpu.ToArray()[0]);

            grad.Fill(123f); // overwritten
            loss.Backward(xt, tt, grad);
            TensorAssert.Close($"{loss.Name} backward", parameters, shape, gradRef, grad.ToArray(), atol: 1e-6);
            loss.Backward(xt, tt, grad, scale: 0.5f, accumulate: true);
            TensorAssert.Close($"{loss.Name} backward (accumulate 0.5x)", parameters, shape, gradRef.Select(g => 1.5 * g).ToArray(), grad.ToArray(), atol: 1e-6);
        });
    }

    [Theory]
    [MemberData(nameof(ElementwiseCases))]
    public void Elementwise_reference_backward_matches_finite_differences(int kind, LossReduction reduction)
    {
        var shape = new TensorShape(3, 7, 2);
        var (x, t) = ElementwiseInputs(kind, shape, 51);
        double[] grad = LossReference.ElementwiseBackward(kind, x, t, shape[0], reduction);
        FiniteDifference.Check(Create(kind, reduction).Name, $"{reduction}", "input", shape,
            v => [LossReference.Elementwise(kind, v, t, shape[0], reduction)], x, [1.0], grad);
    }

    [Fact]
    public void Binary_cross_entropy_of_huge_logits_is_finite_and_exact()
    {
        var shape = new TensorShape(1, 4);
        float[] x = [1e4f, -1e4f, 1e4f, -1e4f];
        float[] t = [1f, 0f, 0f, 1f];
        // Right answers cost ~0, wrong ones cost |x|: mean = (0 + 0 + 1e4 + 1e4) / 4; gradients sigmoid(x) - t.
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, x);
            using var tt = Tensor.FromData(ctx, shape, t);
            using var grad = new Tensor(ctx, shape);
            var loss = new BinaryCrossEntropyWithLogitsLoss();
            AssertScalar("BCE with logits ~1e4", "Mean", 5000, loss.Forward(xt, tt));
            loss.Backward(xt, tt, grad);
            TensorAssert.Close("BCE with logits ~1e4 backward", "Mean", shape, [0, 0, 0.25, -0.25], grad.ToArray(), atol: 1e-7);
        });
    }

    [Fact]
    public void KL_divergence_treats_zero_target_probabilities_as_zero_terms()
    {
        var shape = new TensorShape(2, 3);
        double[] logQ = [Math.Log(0.2), Math.Log(0.3), Math.Log(0.5), Math.Log(0.6), Math.Log(0.3), Math.Log(0.1)];
        double[] p = [0, 0.5, 0.5, 1, 0, 0];
        double expected = (0.5 * Math.Log(0.5 / 0.3) + 0.5 * Math.Log(0.5 / 0.5) + 1 * Math.Log(1 / 0.6)) / 2; // batchmean
        gpu.Run(ctx =>
        {
            using var qt = Tensor.FromData(ctx, shape, TestData.ToFloat(logQ));
            using var pt = Tensor.FromData(ctx, shape, TestData.ToFloat(p));
            float value = new KLDivergenceLoss(LossReduction.BatchMean).Forward(qt, pt);
            Assert.True(float.IsFinite(value), $"KL with zero targets gave {value}");
            AssertScalar("KLDivergence with zero targets", "BatchMean", expected, value);
        });
    }

    [Fact]
    public void Labels_outside_the_classes_raise_argument_out_of_range_naming_index_and_value()
    {
        gpu.Run(ctx =>
        {
            using var logits = new Tensor(ctx, 3, 4);
            using var grad = new Tensor(ctx, 3, 4);
            var loss = new SoftmaxCrossEntropyLoss();
            using (var high = new ClassLabels(ctx, [0, 4, 1]))
            {
                var e = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(logits, high));
                Assert.Contains("index 1", e.Message);
                Assert.Contains("is 4", e.Message);
                Assert.Equal(4, e.ActualValue);
                Assert.Throws<ArgumentOutOfRangeException>(() => loss.Backward(logits, high, grad));
                Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationAccuracy.CountCorrect(logits, high));
            }
            using var negative = new ClassLabels(ctx, [0, 1, -1]);
            var n = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(logits, negative));
            Assert.Contains("index 2", n.Message);
            Assert.Contains("is -1", n.Message);
            using var wrongCount = new ClassLabels(ctx, [0, 1]);
            var c = Assert.Throws<ArgumentException>(() => loss.Forward(logits, wrongCount));
            Assert.Contains("[3,4]", c.Message);
            Assert.Contains("2 labels", c.Message);
        });
    }

    [Fact]
    public void Shape_mismatches_raise_argument_exception_naming_both_shapes()
    {
        gpu.Run(ctx =>
        {
            using var logits = new Tensor(ctx, 3, 4);
            using var targets = new Tensor(ctx, 3, 5);
            using var rank3 = new Tensor(ctx, 3, 4, 1);
            using var loss2 = new Tensor(ctx, 2);
            var ce = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Forward(logits, targets));
            Assert.Contains("[3,4]", ce.Message);
            Assert.Contains("[3,5]", ce.Message);
            var grad = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Backward(logits, logits, targets));
            Assert.Contains("[3,5]", grad.Message);
            Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Forward(rank3, rank3));
            var mse = Assert.Throws<ArgumentException>(() => new MeanSquaredErrorLoss().Forward(logits, targets));
            Assert.Contains("[3,4]", mse.Message);
            Assert.Contains("[3,5]", mse.Message);
            Assert.Throws<ArgumentException>(() => new MeanSquaredErrorLoss().Forward(logits, logits, loss2));
            Assert.Throws<ArgumentException>(() => new BinaryCrossEntropyWithLogitsLoss().Backward(logits, logits, targets));
        });
    }

    [Fact]
    public void Accuracy_counts_correct_arg_max_predictions_on_gpu()
    {
        var shape = new TensorShape(6, 4);
        float[] scores =
        [
            0.1f, 0.9f, 0.0f, 0.0f,   // 1
            5f, -1f, 2f, 4.9f,        // 0
            -3f, -2f, -1f, -0.5f,     // 3
            1f, 1f, 0f, 0f,           // tie: 0 (first)
            0f, 0f, 7f, 0f,           // 2
            1e4f, 0f, 0f, 1e4f + 8,   // 3
        ];
        gpu.Run(ctx =>
        {
            using var st = Tensor.FromData(ctx, shape, scores);
            Assert.Equal([1, 0, 3, 0, 2, 3], ClassificationAccuracy.ArgMax(st));
            using var labels = new ClassLabels(ctx, [1, 2, 3, 0, 2, 0]);
            Assert.Equal(4, ClassificationAccuracy.CountCorrect(st, labels));
            labels.Set([1, 0, 3, 0, 2, 3]);
            Assert.Equal(6, ClassificationAccuracy.CountCorrect(st, labels));
            using var indices = new GpuBuffer(ctx, 6);
            ClassificationAccuracy.ArgMax(st, indices);
            var read = new int[6];
            indices.Download<int>(read);
            Assert.Equal([1, 0, 3, 0, 2, 3], read);
        });
    }

    private void CheckCrossEntropyOnGpu(TensorShape shape, double[] logits, int[] labels, double[]? targets, LossReduction reduction, string parameters)
    {
        int n = shape[0], k = shape[1];
        double lossRef = LossReference.CrossEntropy(logits, n, k, targets is null ? labels : null, targets, reduction);
        double[] gradRef = LossReference.CrossEntropyBackward(logits, n, k, targets is null ? labels : null, targets, reduction);
        var loss = new SoftmaxCrossEntropyLoss(reduction);
        gpu.Run(ctx =>
        {
            using var xt = Tensor.FromData(ctx, shape, TestData.ToFloat(logits));
            using var labelsT = new ClassLabels(ctx, labels);
            using var tt = targets is null ? null : Tensor.FromData(ctx, shape, TestData.ToFloat(targets));
            using var grad = new Tensor(ctx, shape);
            using var lossOnGpu = new Tensor(ctx, 1);
            float value = tt is null ? loss.Forward(xt, labelsT) : loss.Forward(xt, tt);
            Assert.True(float.IsFinite(value), $"SoftmaxCrossEntropy ({parameters}) gave {value}");
            AssertScalar("SoftmaxCrossEntropy forward", parameters, lossRef, value);
            if (tt is null) loss.Forward(xt, labelsT, lossOnGpu); else loss.Forward(xt, tt, lossOnGpu);
            AssertScalar("SoftmaxCrossEntropy forward into a GPU tensor", parameters, lossRef, lossOnGpu.ToArray()[0]);

            grad.Fill(123f); // overwritten
            if (tt is null) loss.Backward(xt, labelsT, grad); else loss.Backward(xt, tt, grad);
            TensorAssert.Close("SoftmaxCrossEntropy backward", parameters, shape, gradRef, grad.ToArray(), atol: 1e-6);
            if (tt is null) loss.Backward(xt, labelsT, grad, scale: 2f, accumulate: true); else loss.Backward(xt, tt, grad, scale: 2f, accumulate: true);
            TensorAssert.Close("SoftmaxCrossEntropy backward (accumulate 2x)", parameters, shape, gradRef.Select(g => 3 * g).ToArray(), grad.ToArray(), atol: 3e-6);
        });
    }

    private static void AssertScalar(string op, string parameters, double expected, float actual) =>
        TensorAssert.Close(op, parameters, new TensorShape(1), [expected], [actual], atol: 1e-5, rtol: 1e-5);

    private static ElementwiseLoss Create(int kind, LossReduction reduction) => kind switch
    {
        0 => new BinaryCrossEntropyWithLogitsLoss(reduction),
        1 => new MeanSquaredErrorLoss(reduction),
        _ => new KLDivergenceLoss(reduction),
    };

    /// <summary>Inputs and targets suited to each loss: logits and [0,1] targets; any reals; log-probabilities and probabilities with zeros.</summary>
    private static (double[] X, double[] T) ElementwiseInputs(int kind, TensorShape shape, int seed)
    {
        int count = shape.ElementCount;
        switch (kind)
        {
            case 0: return (TestData.Uniform(seed, count, -4, 4), TestData.Uniform(seed + 1, count, 0, 1));
            case 1: return (TestData.Uniform(seed, count, -2, 2), TestData.Uniform(seed + 1, count, -2, 2));
            default:
                // Rows over the last axis: x = log q, t = p with some exact zeros.
                int rows = count / shape[-1];
                double[] logQ = new double[count], p = SoftTargets(seed + 1, rows, shape[-1]);
                double[] q = SoftTargets(seed, rows, shape[-1]);
                for (int i = 0; i < count; i++) logQ[i] = Math.Log(q[i] + 1e-3);
                for (int i = 0; i < count; i += 5) p[i] = 0;
                return (logQ, p);
        }
    }

    /// <summary>Rows of probabilities (positive, summing to 1).</summary>
    private static double[] SoftTargets(int seed, int rows, int classes)
    {
        double[] raw = TestData.Uniform(seed, rows * classes, 0.05, 1);
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += raw[r * classes + c];
            for (int c = 0; c < classes; c++) raw[r * classes + c] /= sum;
        }
        return raw;
    }
}

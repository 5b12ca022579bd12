using VisionPlugin.Augmentation;
using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>Test-time multi-crop: the ten views, and averaging per-view probabilities back to one row per image.</summary>
[Collection("Gpu")]
public sealed class MultiCropTests(GpuFixture gpu)
{
    [Fact]
    public void Ten_crops_are_the_corners_the_centre_and_their_mirrors()
    {
        var shape = new TensorShape(2, 2, 9, 10);
        float[] values = Iota(shape.ElementCount);
        var tta = new MultiCropAveraging(5, 6);
        Assert.Equal(10, tta.ViewsPerImage);
        TensorShape viewShape = tta.ViewShape(shape);
        Assert.Equal(new TensorShape(20, 2, 5, 6), viewShape);
        float[] views = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, shape, values);
            using var v = new Tensor(ctx, viewShape);
            tta.Expand(x, v);
            return v.ToArray();
        });
        (int Top, int Left)[] origins = [(0, 0), (0, 4), (4, 0), (4, 4), (2, 2)];
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 10; k++)
            {
                var (top, left) = origins[k % 5];
                for (int c = 0; c < 2; c++)
                    for (int y = 0; y < 5; y++)
                        for (int x = 0; x < 6; x++)
                        {
                            int sourceX = k < 5 ? left + x : left + 5 - x;
                            Assert.Equal(At(values, shape, n, c, top + y, sourceX), At(views, viewShape, n * 10 + k, c, y, x));
                        }
            }
    }

    [Fact]
    public void Averaging_takes_the_mean_of_each_images_views()
    {
        var tta = new MultiCropAveraging(4, 4, flips: false);
        float[] perView = Random01(2, 3 * 5 * 7);
        float[] perImage = gpu.Run(ctx =>
        {
            using var v = Tensor.FromData(ctx, new TensorShape(15, 7), perView);
            using var m = new Tensor(ctx, 3, 7);
            tta.Average(v, m);
            return m.ToArray();
        });
        var expected = new double[21];
        for (int n = 0; n < 3; n++)
            for (int j = 0; j < 7; j++)
                expected[n * 7 + j] = Enumerable.Range(0, 5).Average(k => perView[(n * 5 + k) * 7 + j]);
        TensorAssert.Close("MultiCrop average", "K=5", new TensorShape(3, 7), expected, perImage, atol: 1e-6, rtol: 0);
        gpu.Run(ctx =>
        {
            using var v = new Tensor(ctx, 14, 7);
            using var m = new Tensor(ctx, 3, 7);
            Assert.Throws<ArgumentException>(() => tta.Average(v, m));
        });
    }

    [Fact]
    public void Classify_averages_the_softmax_of_the_views()
    {
        // logits = 10 * mean RGB of a view (global average pool + identity-like linear layer).
        string[] labels = ["red", "green", "blue"];
        var shape = new TensorShape(2, 3, 12, 12);
        float[] values = Random01(9, shape.ElementCount);
        var tta = new MultiCropAveraging(8, 8, flips: true, outputHeight: 6, outputWidth: 6);
        var (predictions, views) = gpu.Run(ctx =>
        {
            var model = new Model(ctx, "colors", new TensorShape(3, 6, 6));
            model.Add(new GlobalAvgPoolLayer("pool"));
            model.Add(new FlattenLayer("flatten"));
            var fc = new LinearLayer(ctx, "fc", 3, 3);
            fc.Weight.Value.Upload([10, 0, 0, 0, 10, 0, 0, 0, 10]);
            fc.Bias!.Value.Fill(0f);
            model.Add(fc);
            using var classifier = Classifier.FromModel(model, labels);
            using var images = Tensor.FromData(ctx, shape, values);
            using var v = new Tensor(ctx, tta.ViewShape(shape));
            tta.Expand(images, v);
            return (tta.Classify(classifier, images, topK: 3), v.ToArray());
        });
        for (int n = 0; n < 2; n++)
        {
            var mean = new double[3];
            for (int k = 0; k < 10; k++)
            {
                double[] logits = [.. Enumerable.Range(0, 3).Select(c => 10 * views.Skip(((n * 10 + k) * 3 + c) * 36).Take(36).Average(v => (double)v))];
                double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
                for (int c = 0; c < 3; c++) mean[c] += Math.Exp(logits[c] - max) / sum / 10;
            }
            Assert.Equal(3, predictions[n].Count);
            foreach (Prediction p in predictions[n]) Assert.Equal(mean[p.ClassIndex], p.Probability, 1e-5);
            Assert.True(predictions[n][0].Probability >= predictions[n][1].Probability);
        }
    }
}

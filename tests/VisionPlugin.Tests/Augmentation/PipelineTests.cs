using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;
using static VisionPlugin.Tests.Augmentation.AugmentTestSupport;

namespace VisionPlugin.Tests.Augmentation;

/// <summary>The pipeline: reproducibility by (seed, step), the step counter, shapes, in-place runs and option validation.</summary>
[Collection("Gpu")]
public sealed class PipelineTests(GpuFixture gpu)
{
    private static readonly TensorShape Shape = new(4, 3, 20, 24);

    /// <summary>Every kind of stage that keeps the shape, so in-place and out-of-place runs can be compared.</summary>
    private static AugmentationPipeline Everything(int seed) =>
        new AugmentationPipeline(seed)
            .FlipHorizontal(0.5)
            .Affine(degrees: (-20, 20), translate: (0.1, 0.1), scale: (0.9, 1.1), shearX: (-10, 10))
            .ElasticWarp(1.5, 4)
            .ColorJitter(0.3, 0.3, 0.3)
            .PcaColor()
            .ColorShift(0.05)
            .GaussianNoise(0.02, probability: 0.5)
            .Cutout(holes: 2, area: (0.02, 0.1), probability: 0.7);

    [Fact]
    public void Same_seed_and_step_give_identical_batches_and_other_steps_or_seeds_differ()
    {
        float[] values = Random01(1, Shape.ElementCount);
        float[] first = Apply(gpu, Everything(5), values, Shape, step: 3);
        float[] again = Apply(gpu, Everything(5), values, Shape, step: 3);
        float[] nextStep = Apply(gpu, Everything(5), values, Shape, step: 4);
        float[] otherSeed = Apply(gpu, Everything(6), values, Shape, step: 3);
        Exact("same seed and step", Shape, first, again);
        Assert.NotEqual(first, nextStep);
        Assert.NotEqual(first, otherSeed);
        int plane = Shape.SampleSize();
        for (int n = 0; n < Shape.N; n++)
            Assert.NotEqual(first.Skip(n * plane).Take(plane), nextStep.Skip(n * plane).Take(plane));
    }

    [Fact]
    public void The_step_counter_advances_per_call_and_matches_explicit_steps()
    {
        float[] values = Random01(2, Shape.ElementCount);
        var pipeline = Everything(8);
        pipeline.Step = 10;
        var (a, b) = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, Shape, values);
            using var y = new Tensor(ctx, Shape);
            pipeline.Apply(x, y);
            float[] first = y.ToArray();
            pipeline.Apply(x, y);
            return (first, y.ToArray());
        });
        Assert.Equal(12, pipeline.Step);
        Exact("counter step 10", Shape, Apply(gpu, Everything(8), values, Shape, step: 10), a);
        Exact("counter step 11", Shape, Apply(gpu, Everything(8), values, Shape, step: 11), b);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Step = -1);
        Assert.Equal(-1L, error.ActualValue);
    }

    [Fact]
    public void In_place_runs_equal_out_of_place_runs()
    {
        float[] values = Random01(3, Shape.ElementCount);
        float[] outOfPlace = Apply(gpu, Everything(2), values, Shape, step: 1);
        float[] inPlace = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, Shape, values);
            var pipeline = Everything(2);
            pipeline.Step = 1;
            pipeline.Apply(x);
            Assert.Equal(2, pipeline.Step);
            return x.ToArray();
        });
        Exact("in place vs out of place", Shape, outOfPlace, inPlace);

        // A lone geometric pass in place goes through scratch and back.
        var flip = new AugmentationPipeline(0).FlipVertical(1);
        float[] flipped = gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, Shape, values);
            flip.Apply(x, x, 0);
            return x.ToArray();
        });
        Exact("in-place flip", Shape, Apply(gpu, flip, values, Shape), flipped);
    }

    [Fact]
    public void Empty_pipeline_is_the_identity()
    {
        var pipeline = new AugmentationPipeline(4);
        Assert.True(pipeline.IsIdentity);
        Assert.Empty(pipeline.Transforms);
        float[] values = Random01(4, Shape.ElementCount);
        Exact("identity", Shape, values, Apply(gpu, pipeline, values, Shape));
        Assert.False(pipeline.FlipHorizontal().IsIdentity);
        Assert.True(pipeline.IsIdentity); // builders return new pipelines
    }

    [Fact]
    public void Draws_depend_on_the_sample_not_the_batch_size_nor_on_later_stages()
    {
        float[] values = Random01(5, Shape.ElementCount);
        var crop = new AugmentationPipeline(3).RandomResizedCrop(10, 10).FlipHorizontal().ColorJitter(0.4, 0.4, 0.4);
        float[] full = Apply(gpu, crop, values, Shape, step: 9);
        var half = new TensorShape(2, 3, 20, 24);
        float[] firstTwo = Apply(gpu, crop, values[..half.ElementCount], half, step: 9);
        Exact("first two samples of a batch of 4 vs a batch of 2", new TensorShape(2, 3, 10, 10), full[..(2 * 300)], firstTwo);
        float[] extended = Apply(gpu, crop.Cutout(probability: 0), values, Shape, step: 9);
        Exact("appending a no-op stage", new TensorShape(4, 3, 10, 10), full, extended);
    }

    [Fact]
    public void Output_shapes_follow_crops_resizes_and_composites()
    {
        var pipeline = new AugmentationPipeline().RandomResizedCrop(16, 12).FlipHorizontal().ColorJitter(0.1);
        Assert.Equal(new TensorShape(4, 3, 16, 12), pipeline.OutputShape(Shape));
        Assert.Equal(new TensorShape(2, 3, 8, 8), AugmentationPipeline.Composite(8).OutputShape(new TensorShape(2, 4, 30, 30)));
        float[] values = Random01(6, Shape.ElementCount);
        float[] result = Apply(gpu, pipeline.CenterCrop(8, 8).Resize(5, 7), values, Shape);
        Assert.Equal(4 * 3 * 5 * 7, result.Length);
        gpu.Run(ctx =>
        {
            using var x = Tensor.FromData(ctx, Shape, values);
            using var wrong = new Tensor(ctx, Shape);
            var error = Assert.Throws<ArgumentException>(() => pipeline.Apply(x, wrong, 0));
            Assert.Contains("[4,3,16,12]", error.Message);
            Assert.Throws<ArgumentException>(() => pipeline.Apply(x)); // in place cannot change the size
        });
        Assert.Throws<ArgumentException>(() => new AugmentationPipeline().RandomCrop(30, 30).OutputShape(Shape));
    }

    [Fact]
    public void Bad_options_raise_argument_out_of_range_naming_the_value()
    {
        var p = new AugmentationPipeline();
        void Check(Action action, string parameter, string value)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(action);
            Assert.Equal(parameter, error.ParamName);
            Assert.Contains(value, error.Message);
        }
        Check(() => p.FlipHorizontal(1.5), "probability", "1.5");
        Check(() => p.FlipVertical(-0.1), "probability", "-0.1");
        Check(() => p.RandomCrop(0, 4), "height", "0");
        Check(() => p.RandomCrop(4, 4, padding: -2), "padding", "-2");
        Check(() => p.RandomResizedCrop(8, 8, scale: (0.5, 1.2)), "scale", "1.2");
        Check(() => p.RandomResizedCrop(8, 8, ratio: (2, 1)), "ratio", "(2, 1)");
        Check(() => p.Rotate(-10), "maxDegrees", "-10");
        Check(() => p.Shear(95), "shearX", "95");
        Check(() => p.Scale(0, 2), "scale", "(0, 2)");
        Check(() => p.Translate(1.5, 0), "translate", "1.5");
        Check(() => p.ElasticWarp(-1), "amplitude", "-1");
        Check(() => p.ElasticWarp(2, gridSize: 1), "gridSize", "1");
        Check(() => p.ColorJitter(brightness: -0.2), "brightness", "-0.2");
        Check(() => p.ColorJitter(saturation: double.NaN), "saturation", "NaN");
        Check(() => p.ColorShift(-1), "maxShift", "-1");
        Check(() => p.PcaColor(alphaStd: -0.1), "alphaStd", "-0.1");
        Check(() => p.GaussianNoise(-0.5), "std", "-0.5");
        Check(() => p.Cutout(holes: 0), "holes", "0");
        Check(() => p.Cutout(area: (0, 0.5)), "area", "(0, 0.5)");
        Check(() => p.Cutout(fill: float.PositiveInfinity), "fill", float.PositiveInfinity.ToString());
        Check(() => p.WithClipRange(1, 0), "clipRange", "(1, 0)");
        Check(() => new MultiCropAveraging(0, 4), "cropHeight", "0");
        Check(() => new PcaColorBasis([1, -1, 0], [(1, 0, 0), (0, 1, 0), (0, 0, 1)]), "eigenvalues", "-1");
    }

    [Fact]
    public void Random_resized_crop_windows_respect_scale_and_ratio()
    {
        var transform = new RandomResizedCropTransform(32, 32, (0.3, 0.6), (0.5, 2.0));
        for (int n = 0; n < 200; n++)
        {
            SampleDraws draws = AugmentationRandom.ForSample(AugmentationRandom.StageSeed(1, n, 0), n);
            var (x, y, w, h) = transform.Window(ref draws, 100, 120);
            Assert.InRange(w * h, 0.3 * 12000 * 0.97, 0.6 * 12000 * 1.03);
            Assert.InRange((double)w / h, 0.5 * 0.95, 2.0 * 1.05);
            Assert.True(x >= 0 && y >= 0 && x + w <= 120 && y + h <= 100);
        }
    }

    [Fact]
    public void Description_lists_the_stages()
    {
        Assert.Equal("AugmentationPipeline(seed 0, step 0): identity", new AugmentationPipeline().ToString());
        Assert.Equal("AugmentationPipeline(seed 3, step 0): RandomResizedCrop -> Flip -> ColorJitter", AugmentationPipeline.Default(64, 3).ToString());
    }
}

internal static class ShapeExtensions
{
    public static int SampleSize(this TensorShape shape) => shape.C * shape.H * shape.W;
}

using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// Runs an <see cref="AugmentationPipeline"/> on the GPU. The transforms are cut into passes — a run of geometric
/// transforms with compatible borders becomes one <see cref="AffineWarp"/> (maps composed per image:
/// I = I_1 * I_2 * ... * I_k, output coordinates to input ones), every other transform its own pass — and the
/// passes ping-pong between two context scratch buffers, pointwise passes (colour, noise, cutout) working in place.
/// The caller's input is never written unless it is also the output. Per-image parameters are drawn on the CPU
/// from <see cref="AugmentationRandom"/> streams; per-pixel randomness (noise, elastic fields) on the GPU.
/// </summary>
internal static class PipelineRunner
{
    private static readonly string[] Slots = ["augment.pipeline.0", "augment.pipeline.1"];
    private const string PackSlot = "augment.pipeline.rgba";
    private const int InputSlot = -1, OutputSlot = -2;

    /// <summary>A pass: transforms [First, First + Count) of the pipeline.</summary>
    private readonly record struct Pass(int First, int Count, bool Geometric);

    public static void Run(AugmentationPipeline pipeline, ImageBatch input, ImageBatch output, long step)
    {
        IReadOnlyList<AugmentationTransform> transforms = pipeline.Transforms;
        List<Pass> passes = Plan(transforms);
        if (passes.Count == 0)
        {
            if (!output.SharesBufferWith(input)) output.Buffer.CopyFrom(input.Buffer, input.Shape.ElementCount);
            return;
        }
        ImageBatch current = input;
        int currentSlot = InputSlot;
        for (int i = 0; i < passes.Count; i++)
        {
            Pass pass = passes[i];
            TensorShape shape = current.Shape;
            for (int t = pass.First; t < pass.First + pass.Count; t++) shape = transforms[t].OutputShape(shape);
            bool pointwise = !pass.Geometric && transforms[pass.First] is ColorTransform or GaussianNoiseTransform or CutoutTransform;
            bool last = i == passes.Count - 1;

            ImageBatch target;
            int targetSlot;
            bool copyToOutput = false;
            if (last && (pointwise || !output.SharesBufferWith(current)))
            {
                (target, targetSlot) = (output, OutputSlot);
            }
            else if (!last && pointwise && currentSlot >= 0)
            {
                (target, targetSlot) = (current, currentSlot);
            }
            else
            {
                targetSlot = currentSlot == 0 ? 1 : 0;
                target = ImageBatch.Scratch(input.Context, Slots[targetSlot], shape);
                copyToOutput = last;
            }
            RunPass(pipeline, pass, current, target, step);
            if (copyToOutput) output.Buffer.CopyFrom(target.Buffer, shape.ElementCount);
            (current, currentSlot) = (target, targetSlot);
        }
    }

    /// <summary>Interleaves [N,3,H,W] colours and an [N,1,H,W] mask into the RGBA scratch batch [N,4,H,W] (GPU copies).</summary>
    public static ImageBatch PackRgba(Tensor rgb, Tensor alphaMask)
    {
        TensorShape s = rgb.Shape;
        ImageBatch packed = ImageBatch.Scratch(rgb.Context, PackSlot, new TensorShape(s.N, 4, s.H, s.W));
        int plane = s.H * s.W;
        for (int n = 0; n < s.N; n++)
        {
            packed.Buffer.CopyFrom(rgb.Buffer, 3L * plane, (long)n * 3 * plane, (long)n * 4 * plane);
            packed.Buffer.CopyFrom(alphaMask.Buffer, plane, (long)n * plane, (long)n * 4 * plane + 3L * plane);
        }
        return packed;
    }

    /// <summary>Cuts the transform list into passes (geometric runs split where two declared borders differ).</summary>
    private static List<Pass> Plan(IReadOnlyList<AugmentationTransform> transforms)
    {
        var passes = new List<Pass>();
        for (int i = 0; i < transforms.Count;)
        {
            if (transforms[i] is not GeometricTransform)
            {
                passes.Add(new Pass(i, 1, false));
                i++;
                continue;
            }
            int end = i;
            Border? border = null;
            while (end < transforms.Count && transforms[end] is GeometricTransform g)
            {
                if (g.SamplingBorder is { } b)
                {
                    if (border is { } existing && existing != b) break;
                    border = b;
                }
                end++;
            }
            passes.Add(new Pass(i, end - i, true));
            i = end;
        }
        return passes;
    }

    private static void RunPass(AugmentationPipeline pipeline, Pass pass, ImageBatch input, ImageBatch output, long step)
    {
        uint seed = unchecked((uint)pipeline.Seed);
        int n = input.N;
        if (pass.Geometric)
        {
            RunGeometric(pipeline, pass, input, output, step);
            return;
        }
        AugmentationTransform transform = pipeline.Transforms[pass.First];
        uint stageSeed = AugmentationRandom.StageSeed(seed, step, pass.First);
        var draws = new SampleDraws[n];
        var chosen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            draws[i] = AugmentationRandom.ForSample(stageSeed, i);
            chosen[i] = draws[i].Bernoulli(transform.Probability);
        }
        switch (transform)
        {
            case ColorTransform color:
                var matrices = new ColorMatrix[n];
                for (int i = 0; i < n; i++) matrices[i] = chosen[i] ? color.Draw(ref draws[i]) : ColorMatrix.Identity;
                ColorAdjust.Apply(input, output, matrices, pipeline.ClipRange);
                break;
            case GaussianNoiseTransform noise:
                var sigmas = new float[n];
                for (int i = 0; i < n; i++) sigmas[i] = chosen[i] ? (float)noise.Std : 0f;
                Engine.Augmentation.GaussianNoise.Apply(input, output, sigmas, stageSeed, pipeline.ClipRange);
                break;
            case CutoutTransform cutout:
                var rects = new PixelRect[n * cutout.Holes];
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < cutout.Holes && chosen[i]; k++)
                        rects[i * cutout.Holes + k] = cutout.DrawRect(ref draws[i], input.H, input.W);
                Engine.Augmentation.Cutout.Apply(input, output, rects, cutout.Holes, cutout.Fill);
                break;
            case ElasticWarpTransform elastic:
                var amplitudes = new float[n];
                for (int i = 0; i < n; i++) amplitudes[i] = chosen[i] ? (float)elastic.Amplitude : 0f;
                Engine.Augmentation.ElasticWarp.Apply(input, output, amplitudes, elastic.GridSize, stageSeed, elastic.Border);
                break;
            case BackgroundCompositeTransform composite:
                var backgrounds = new BackgroundSample[n];
                for (int i = 0; i < n; i++) backgrounds[i] = composite.Source.Draw(ref draws[i], input.H, input.W);
                ImageBatch? images = null;
                if (composite.Source.Images is { } tensor) images = new ImageBatch(tensor.Buffer, tensor.Shape);
                AlphaComposite.Apply(input, output, backgrounds, images);
                break;
            default:
                throw new InvalidOperationException($"AugmentationPipeline cannot run a {transform.GetType().Name}.");
        }
    }

    // Per image: compose the chosen transforms' inverse maps left to right, M = I_1 * I_2 * ... (the last applied first).
    private static void RunGeometric(AugmentationPipeline pipeline, Pass pass, ImageBatch input, ImageBatch output, long step)
    {
        uint seed = unchecked((uint)pipeline.Seed);
        var maps = new AffineMatrix[input.N];
        Border? border = null;
        for (int t = pass.First; t < pass.First + pass.Count; t++)
            border ??= ((GeometricTransform)pipeline.Transforms[t]).SamplingBorder;
        for (int i = 0; i < input.N; i++)
        {
            AffineMatrix map = AffineMatrix.Identity;
            int height = input.H, width = input.W;
            for (int t = pass.First; t < pass.First + pass.Count; t++)
            {
                var transform = (GeometricTransform)pipeline.Transforms[t];
                SampleDraws draws = AugmentationRandom.ForSample(AugmentationRandom.StageSeed(seed, step, t), i);
                if (draws.Bernoulli(transform.Probability)) map *= transform.InverseMap(ref draws, height, width);
                (height, width) = transform.OutputSize(height, width);
            }
            maps[i] = map;
        }
        // No image chosen and no size change (e.g. every flip skipped): a plain copy is exact and cheaper than a warp.
        if (input.Shape == output.Shape && maps.All(m => m == AffineMatrix.Identity))
        {
            output.Buffer.CopyFrom(input.Buffer, input.Shape.ElementCount);
            return;
        }
        // Runs that never look outside the image (flips, crops inside it, resizes) clamp at the edge like image_to_nchw.
        AffineWarp.Apply(input, output, maps, border ?? Border.Edge);
    }
}

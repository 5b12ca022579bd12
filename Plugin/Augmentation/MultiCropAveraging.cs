using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Augmentation;

namespace VisionPlugin.Augmentation;

/// <summary>
/// Test-time augmentation by multi-crop averaging (AlexNet's evaluation, torchvision <c>FiveCrop</c>/<c>TenCrop</c>):
/// each image becomes K = 5 views (four corners and the centre) or K = 10 (the same mirrored left-right), the
/// classifier scores the N*K views in one batch, and the K probability vectors of every image are averaged back
/// to one: p(class | image) = (1/K) sum_k softmax(logits(view_k)). Views are image-major (view k of image n is row
/// n * K + k) in the order top-left, top-right, bottom-left, bottom-right, centre, then their mirror images.
/// </summary>
public sealed class MultiCropAveraging
{
    /// <summary>Crops of <paramref name="cropHeight"/> x <paramref name="cropWidth"/> source pixels, resized to the output size.</summary>
    /// <param name="cropHeight">Crop height in source pixels, at least 1.</param>
    /// <param name="cropWidth">Crop width in source pixels, at least 1.</param>
    /// <param name="flips">Add the mirrored views (10 per image instead of 5).</param>
    /// <param name="outputHeight">Height of a view (default: the crop height).</param>
    /// <param name="outputWidth">Width of a view (default: the crop width).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 (named with its value).</exception>
    public MultiCropAveraging(int cropHeight, int cropWidth, bool flips = true, int? outputHeight = null, int? outputWidth = null)
    {
        CropHeight = OptionChecks.AtLeast(cropHeight, 1, nameof(cropHeight));
        CropWidth = OptionChecks.AtLeast(cropWidth, 1, nameof(cropWidth));
        OutputHeight = OptionChecks.AtLeast(outputHeight ?? cropHeight, 1, nameof(outputHeight));
        OutputWidth = OptionChecks.AtLeast(outputWidth ?? cropWidth, 1, nameof(outputWidth));
        Flips = flips;
    }

    /// <summary>Crop height in source pixels.</summary>
    public int CropHeight { get; }

    /// <summary>Crop width in source pixels.</summary>
    public int CropWidth { get; }

    /// <summary>Height of a view.</summary>
    public int OutputHeight { get; }

    /// <summary>Width of a view.</summary>
    public int OutputWidth { get; }

    /// <summary>Whether the mirrored views are included.</summary>
    public bool Flips { get; }

    /// <summary>K: views per image (5 or 10).</summary>
    public int ViewsPerImage => MultiCrop.ViewCount(Flips);

    /// <summary>The views batch for an image batch: [N*K, C, OutputHeight, OutputWidth].</summary>
    /// <param name="images">[N,C,H,W].</param>
    public TensorShape ViewShape(TensorShape images) => new(images.N * ViewsPerImage, images.C, OutputHeight, OutputWidth);

    /// <summary>Cuts the K views of every image into <paramref name="views"/> (one GPU pass).</summary>
    /// <param name="images">[N,C,H,W] with H, W at least the crop size.</param>
    /// <param name="views">[N*K, C, OutputHeight, OutputWidth].</param>
    /// <exception cref="ArgumentException">The shapes do not fit.</exception>
    public void Expand(Tensor images, Tensor views)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(views);
        if (views.Shape != ViewShape(images.Shape))
            throw new ArgumentException($"MultiCropAveraging: views of {images.Shape} must be {ViewShape(images.Shape)}; got {views.Shape}.", nameof(views));
        MultiCrop.Expand(images, views, CropHeight, CropWidth, Flips);
    }

    /// <summary>Averages per-view rows back to per-image rows: perImage[n] = (1/K) sum_k perView[n*K + k].</summary>
    /// <param name="perView">[N*K, D], e.g. softmax probabilities of the views.</param>
    /// <param name="perImage">[N, D].</param>
    /// <exception cref="ArgumentException">The shapes do not fit K.</exception>
    public void Average(Tensor perView, Tensor perImage)
    {
        ArgumentNullException.ThrowIfNull(perView);
        ArgumentNullException.ThrowIfNull(perImage);
        MultiCrop.AverageGroups(perView, perImage, ViewsPerImage);
    }

    /// <summary>
    /// Classifies preprocessed images [N,3,H,W] by multi-crop averaging: views, one network pass, softmax per view,
    /// mean per image, top k. The view size must be the classifier's input size.
    /// </summary>
    /// <param name="classifier">The network and its labels.</param>
    /// <param name="images">Preprocessed images at least as large as the crops.</param>
    /// <param name="topK">Classes to return per image, at least 1.</param>
    /// <exception cref="ArgumentException">The view size is not the classifier's input size.</exception>
    public IReadOnlyList<IReadOnlyList<Prediction>> Classify(Classifier classifier, Tensor images, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        if (classifier.Preprocess.Height != OutputHeight || classifier.Preprocess.Width != OutputWidth)
            throw new ArgumentException($"MultiCropAveraging views are {OutputHeight}x{OutputWidth}; the classifier takes {classifier.Preprocess.Height}x{classifier.Preprocess.Width}.", nameof(classifier));
        int classes = classifier.Labels.Count, n = images.Shape.N;
        using var views = new Tensor(images.Context, ViewShape(images.Shape));
        using var viewProbabilities = new Tensor(images.Context, views.Shape.N, classes);
        using var probabilities = new Tensor(images.Context, n, classes);
        Expand(images, views);
        Softmax.Forward(classifier.Model.Forward(views, training: false), viewProbabilities, axis: 1);
        Average(viewProbabilities, probabilities);
        float[] values = probabilities.ToArray();
        var results = new IReadOnlyList<Prediction>[n];
        for (int i = 0; i < n; i++)
        {
            int row = i;
            results[i] = Enumerable.Range(0, classes)
                .OrderByDescending(c => values[row * classes + c]).ThenBy(c => c)
                .Take(Math.Min(topK, classes))
                .Select(c => new Prediction(c, classifier.Labels[c], values[row * classes + c]))
                .ToArray();
        }
        return results;
    }
}

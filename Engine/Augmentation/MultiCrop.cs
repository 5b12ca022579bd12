namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// Test-time multi-crop (AlexNet's ten-patch evaluation, torchvision <c>FiveCrop</c>/<c>TenCrop</c>): every image
/// becomes K views — the four corner crops and the centre crop, then (with flips) the same five mirrored
/// left-right — laid out image-major, view n * K + k, so a classifier's [N*K, classes] probabilities average
/// back to [N, classes] with <see cref="AverageGroups"/> (<c>augment_average_groups.comp</c>).
/// Views are cut with <see cref="AffineWarp"/>, optionally resized to an output size.
/// </summary>
public static class MultiCrop
{
    /// <summary>Crops per image: 5 (corners + centre) or 10 (with their mirror images).</summary>
    public static int ViewCount(bool flips) => flips ? 10 : 5;

    /// <summary>
    /// The inverse maps of the K views of an image of <paramref name="width"/> x <paramref name="height"/>: crop k has its
    /// top-left at (0,0), (W-w,0), (0,H-h), (W-w,H-h), ((W-w)/2,(H-h)/2) for k = 0..4 (top-left, top-right,
    /// bottom-left, bottom-right, centre; the centre offset rounds down), and k = 5..9 are those crops mirrored:
    /// output x -> outWidth - x first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The crop is larger than the image or a size is below 1.</exception>
    public static AffineMatrix[] ViewMaps(int height, int width, int cropHeight, int cropWidth, int outHeight, int outWidth, bool flips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cropHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cropWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        if (cropHeight > height) throw new ArgumentOutOfRangeException(nameof(cropHeight), cropHeight, $"Crop height {cropHeight} exceeds the image height {height}.");
        if (cropWidth > width) throw new ArgumentOutOfRangeException(nameof(cropWidth), cropWidth, $"Crop width {cropWidth} exceeds the image width {width}.");
        int right = width - cropWidth, bottom = height - cropHeight;
        (int X, int Y)[] origins = [(0, 0), (right, 0), (0, bottom), (right, bottom), (right / 2, bottom / 2)];
        var maps = new AffineMatrix[ViewCount(flips)];
        for (int k = 0; k < maps.Length; k++)
        {
            var (x, y) = origins[k % 5];
            AffineMatrix crop = AffineMatrix.CropToRectangle(x, y, cropWidth, cropHeight, outWidth, outHeight);
            maps[k] = k < 5 ? crop : crop * AffineMatrix.FlipX(outWidth);
        }
        return maps;
    }

    /// <summary>Writes the K views of every image of <paramref name="input"/> [N,C,H,W] into <paramref name="output"/> [N*K,C,OH,OW].</summary>
    /// <param name="input">Images.</param>
    /// <param name="output">Views, image-major; OH x OW is the output size (the crop is resized to it).</param>
    /// <param name="cropHeight">Crop height in source pixels.</param>
    /// <param name="cropWidth">Crop width in source pixels.</param>
    /// <param name="flips">Add the mirrored views (10 per image instead of 5).</param>
    /// <exception cref="ArgumentException">The output is not [N*K, C, OH, OW].</exception>
    public static void Expand(ImageBatch input, ImageBatch output, int cropHeight, int cropWidth, bool flips)
    {
        int k = ViewCount(flips);
        if (output.N != input.N * k || output.C != input.C)
            throw new ArgumentException($"MultiCrop: {k} views of {input.Shape} need an output [{input.N * k},{input.C},OH,OW]; got {output.Shape}.", nameof(output));
        AffineMatrix[] views = ViewMaps(input.H, input.W, cropHeight, cropWidth, output.H, output.W, flips);
        var maps = new AffineMatrix[output.N];
        var sources = new int[output.N];
        for (int i = 0; i < output.N; i++)
        {
            maps[i] = views[i % k];
            sources[i] = i / k;
        }
        AffineWarp.Apply(input, output, maps, Border.Edge, sources);
    }

    /// <summary>out[n, j] = mean over k &lt; K of in[n * K + k, j]: per-view rows (e.g. probabilities) averaged per image.</summary>
    /// <param name="perView">[N*K, D] (or any rank whose first axis is N*K).</param>
    /// <param name="perImage">[N, D] with the same trailing size.</param>
    /// <param name="viewsPerImage">K &gt;= 1.</param>
    /// <exception cref="ArgumentException">The shapes do not fit K.</exception>
    public static void AverageGroups(Tensor perView, Tensor perImage, int viewsPerImage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(viewsPerImage, 1);
        int rows = perImage.Shape[0];
        int width = rows > 0 ? perImage.ElementCount / rows : 0;
        if (rows < 1 || perView.Shape[0] != rows * viewsPerImage || perView.ElementCount != perImage.ElementCount * viewsPerImage)
            throw new ArgumentException($"MultiCrop averaging of {viewsPerImage} views: per-view {perView.Shape} must be [{rows * viewsPerImage}, ...] with the per-image {perImage.Shape}'s row size.", nameof(perView));
        perView.Context.Programs.Get("augment_average_groups.comp")
            .Set("N", rows).Set("K", viewsPerImage).Set("D", width)
            .Bind(0, perView).Bind(1, perImage)
            .DispatchLinear(perImage.ElementCount);
    }
}

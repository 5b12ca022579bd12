namespace VisionPlugin.Engine.Data;

/// <summary>
/// Fashion-MNIST (Zalando; 60,000 training and 10,000 test 28x28 grey images in 10 classes) read
/// from the IDX files of Debian's <c>dataset-fashion-mnist</c> package. Pixels are scaled to [0,1].
/// </summary>
public static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the training (60k) or test (10k) split.</summary>
    /// <exception cref="FileNotFoundException">The package is not installed (the message says which one).</exception>
    public static LabeledImages Load(bool train, string folder = DefaultFolder)
    {
        string prefix = train ? "train" : "t10k";
        string images = Find(folder, $"{prefix}-images-idx3-ubyte");
        string labels = Find(folder, $"{prefix}-labels-idx1-ubyte");
        var (imageDims, imageBytes) = IdxFile.ReadBytes(images);
        var (labelDims, labelBytes) = IdxFile.ReadBytes(labels);
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
            throw new InvalidDataException($"Fashion-MNIST files disagree: images [{string.Join(",", imageDims)}], labels [{string.Join(",", labelDims)}].");
        var pixels = new float[imageBytes.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = imageBytes[i] / 255f;
        int[] classes = Array.ConvertAll(labelBytes, b => (int)b);
        return new LabeledImages(pixels, classes, new TensorShape(1, imageDims[1], imageDims[2]), ClassNames);
    }

    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { Path.Combine(folder, name), Path.Combine(folder, name + ".gz") })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}' not found in {folder}. Install Debian's dataset-fashion-mnist (scripts/setup.sh does).", name);
    }
}

using System.Diagnostics;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Engine.Zoo;
using VisionPlugin.Imaging;
using VisionPlugin.Tests.TfJs;
using VisionPlugin.Visualization;
using Xunit.Abstractions;

namespace VisionPlugin.Tests.Visualization;

/// <summary>
/// The Zeiler-Fergus pictures: first-layer filters with known weights land in the right tiles with the right
/// colors, the activation pictures of the chosen layers have the documented sizes and show what the filters
/// compute, and the real MobileNetV2 trunk goes through quickly.
/// </summary>
[Collection("Gpu")]
public sealed class NetworkVisualizerTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const int Size = 12, Filters = 8;

    [Fact]
    public void FiltersPng_ShowsEachFilterInItsTileWithItsSignAndColor()
    {
        using var folder = new TempDirectory();
        NetworkVisualization result = gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, inputChannels: 3, size: Size);
            SetKnownStemFilters(model);
            using Tensor input = RandomInput(ctx);
            return NetworkVisualizer.Write(model, input, folder.Path);
        });

        Assert.Equal("stem.conv", result.FilterLayer);
        Assert.Equal(new TensorShape(Filters, 3, 3, 3), result.FilterShape);
        DecodedImage png = ImageDecoders.Load(folder.File(NetworkVisualizer.FiltersFileName));
        int tile = 3 * FilterGrid.ScaleFor(3, 3); // 48 pixels: 3x3 kernels upscaled to at least 48
        Assert.Equal(3 * (tile + 1) + 1, png.Width); // 8 tiles -> 3 columns, 3 rows, 1-pixel separators
        Assert.Equal(3 * (tile + 1) + 1, png.Height);
        var separator = (TileGrid.SeparatorColor.R, TileGrid.SeparatorColor.G, TileGrid.SeparatorColor.B);
        Assert.Equal(separator, Pixel(png, 0, 0));

        (int R, int G, int B) Kernel(int filter, int kx, int ky) =>
            Pixel(png, 1 + filter % 3 * (tile + 1) + kx * tile / 3 + tile / 6, 1 + filter / 3 * (tile + 1) + ky * tile / 3 + tile / 6);
        Assert.Equal((255, 255, 255), Kernel(0, 1, 1)); // constant positive: bright
        Assert.Equal((0, 0, 0), Kernel(1, 1, 1));       // constant negative: dark
        Assert.Equal((255, 0, 0), Kernel(2, 0, 2));     // red channel only: red
        Assert.Equal((0, 0, 0), Kernel(3, 0, 1));       // horizontal ramp: dark on the left ...
        Assert.Equal((255, 255, 255), Kernel(3, 2, 1)); // ... bright on the right
        Assert.Equal(separator, Pixel(png, png.Width - 2, png.Height - 2)); // the ninth cell is empty
    }

    [Fact]
    public void ActivationPngs_CoverTheStageEndsWithDocumentedSizesAndShowTheFilters()
    {
        using var folder = new TempDirectory();
        float[] inputValues = [];
        NetworkVisualization result = gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, inputChannels: 3, size: Size);
            SetKnownStemFilters(model);
            using Tensor input = RandomInput(ctx);
            inputValues = input.ToArray();
            return NetworkVisualizer.Write(model, input, folder.Path);
        });

        // The first conv, then the last layer at 12x12, 6x6 and 3x3.
        Assert.Equal(["stem.conv", "stem.relu", "block1.relu2", "block2.relu2"], result.Layers.Select(l => l.Name));
        Assert.Equal([1, 3, 11, 20], result.Layers.Select(l => l.Node));
        Assert.Equal(2 + 4, result.Files.Count);
        Assert.All(result.Files, f => Assert.True(File.Exists(f), f));
        foreach (VisualizedLayer layer in result.Layers)
        {
            DecodedImage png = ImageDecoders.Load(layer.File);
            int c = layer.Shape[1], h = layer.Shape[2], scale = ActivationGrid.ScaleFor(h, h);
            int columns = (int)Math.Ceiling(Math.Sqrt(c)), rows = (c + columns - 1) / columns;
            output.WriteLine($"{Path.GetFileName(layer.File)}: {layer.Shape} -> {png.Width}x{png.Height}");
            Assert.Equal(c, layer.ChannelsShown);
            Assert.True(h * scale >= ActivationGrid.MinimumTileSide);
            Assert.Equal(columns * (h * scale + 1) + 1, png.Width);
            Assert.Equal(rows * (h * scale + 1) + 1, png.Height);
        }
        Assert.Equal("act_00_stem.conv.png", Path.GetFileName(result.Layers[0].File));

        // Filter 1 is filter 0 negated (no bias), so its min-max normalized map is filter 0's inverted.
        DecodedImage conv = ImageDecoders.Load(result.Layers[0].File);
        int tileSide = Size * ActivationGrid.ScaleFor(Size, Size);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int px = 1 + x * tileSide / Size, py = 1 + y * tileSide / Size;
                int positive = Pixel(conv, px, py).R, negative = Pixel(conv, px + tileSide + 1, py).R;
                Assert.InRange(positive + negative, 254, 256);
            }

        DecodedImage inputPng = ImageDecoders.Load(folder.File(NetworkVisualizer.InputFileName));
        Assert.Equal((Size, Size), (inputPng.Width, inputPng.Height));
        Assert.Equal((int)MathF.Round(inputValues[Size * Size + 5] * 255), Pixel(inputPng, 5, 0).G);
    }

    [Fact]
    public void ChooseLayers_KeepsFirstAndLastWhenCappedAndNamesFilesSafely()
    {
        int[] capped = gpu.Run(ctx =>
        {
            using Model model = TinyResNet.Build(ctx, inputChannels: 3, size: Size);
            return NetworkVisualizer.ChooseLayers(model, maxLayers: 2).ToArray();
        });
        Assert.Equal([1, 20], capped);
        Assert.Equal("act_07_model_conv_0_.png", NetworkVisualizer.ActivationFileName(7, "model/conv:0 "));
    }

    [Fact]
    public void MobileNetV2Trunk_GivesColorFiltersAndStageActivations()
    {
        PretrainedModelFixture.EnsureMobileNetV2();
        using var folder = new TempDirectory();
        var watch = Stopwatch.StartNew();
        NetworkVisualization result = gpu.Run(ctx =>
        {
            using Model trunk = PretrainedZoo.MobileNetV2Trunk(ctx);
            var random = new Random(3);
            using Tensor input = Tensor.FromData(ctx, new TensorShape(1, 3, 224, 224), Enumerable.Range(0, 3 * 224 * 224).Select(_ => random.NextSingle()).ToArray());
            return NetworkVisualizer.Write(trunk, input, folder.Path);
        });
        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {string.Join(", ", result.Layers.Select(l => $"{l.Name} {l.Shape}"))}");

        Assert.Equal("Conv1", result.FilterLayer);
        Assert.Equal(new TensorShape(32, 3, 3, 3), result.FilterShape);
        Assert.InRange(result.Layers.Count, 5, NetworkVisualizer.DefaultMaxLayers);
        Assert.Equal("Conv1", result.Layers[0].Name);
        Assert.Equal(new TensorShape(1, 32, 112, 112), result.Layers[0].Shape);
        Assert.Equal(new TensorShape(1, 1280, 7, 7), result.Layers[^1].Shape);
        Assert.Equal(ActivationGrid.DefaultMaxChannels, result.Layers[^1].ChannelsShown);
        Assert.All(result.Files, f => Assert.True(ImageDecoders.Load(f).Width > 0));
    }

    /// <summary>Stem filters 0: all +0.3; 1: all -0.3; 2: red channel 1, others 0; 3: a left-to-right ramp in every channel.</summary>
    private static void SetKnownStemFilters(Model model)
    {
        var conv = (Conv2dLayer)model.Layers.First(l => l.Name == "stem.conv");
        float[] w = conv.Weight.Value.ToArray();
        const int filter = 27, plane = 9;
        for (int i = 0; i < filter; i++)
        {
            w[i] = 0.3f;
            w[filter + i] = -0.3f;
            w[2 * filter + i] = i < plane ? 1f : 0f;
            w[3 * filter + i] = i % 3 - 1;
        }
        conv.Weight.Value.Upload(w);
    }

    private static Tensor RandomInput(GpuContext ctx)
    {
        var random = new Random(1);
        return Tensor.FromData(ctx, new TensorShape(1, 3, Size, Size), Enumerable.Range(0, 3 * Size * Size).Select(_ => random.NextSingle()).ToArray());
    }

    private static (int R, int G, int B) Pixel(DecodedImage image, int x, int y)
    {
        int at = (y * image.Width + x) * DecodedImage.BytesPerPixel;
        ReadOnlySpan<byte> p = image.Pixels.Span;
        return (p[at], p[at + 1], p[at + 2]);
    }
}

using System.Text;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Visualization;

/// <summary>
/// Pictures of what a convolutional network has learned and what it sees in one image, in the manner of Zeiler and
/// Fergus: the first layer's filters (<see cref="FilterGrid"/>) and the feature maps of a few layers
/// (<see cref="ActivationGrid"/>), as PNG files. The model runs once, in inference mode, through a view that shares
/// its layers and outputs every chosen node; the model itself is not changed. Use it on the model's GL thread.
/// </summary>
public static class NetworkVisualizer
{
    /// <summary>Most activation pictures <see cref="ChooseLayers"/> picks.</summary>
    public const int DefaultMaxLayers = 12;

    /// <summary>Name of the picture of the preprocessed input.</summary>
    public const string InputFileName = "input.png";

    /// <summary>Name of the picture of the first convolution's filters.</summary>
    public const string FiltersFileName = "filters.png";

    /// <summary>
    /// A readable set of layers to draw: the first convolution's output (what the filters in filters.png respond
    /// with), then the last layer of every run of nodes with the same spatial size, i.e. the end of each stage,
    /// where the map is about to shrink (padding layers are passed over; 1x1 and non-image outputs never count).
    /// When that is more than <paramref name="maxLayers"/>, the first and last are kept and the rest sampled evenly.
    /// </summary>
    /// <param name="model">A model with one image input.</param>
    /// <param name="maxLayers">Most nodes to return (2 or more).</param>
    /// <returns>Node ids in increasing order; empty when no layer has a spatial [N, C, H, W] output.</returns>
    public static IReadOnlyList<int> ChooseLayers(Model model, int maxLayers = DefaultMaxLayers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLayers, 2);
        TensorShape[] shapes = model.InferShapes(batchSize: 1);
        var chosen = new SortedSet<int>();
        int? firstConv = null, runEnd = null;
        (int H, int W)? runSize = null;
        for (int id = model.InputCount; id < model.NodeCount; id++)
        {
            Layer layer = model.NodeAt(id).Layer!;
            if (layer is Pad2dLayer || !IsSpatial(shapes[id])) continue;
            if (firstConv is null && layer is Conv2dLayer or ConvTranspose2dLayer) chosen.Add((firstConv = id).Value);
            (int, int) size = (shapes[id][2], shapes[id][3]);
            if (runSize is not null && runSize != size) chosen.Add(runEnd!.Value);
            runSize = size;
            runEnd = id;
        }
        if (runEnd is not null) chosen.Add(runEnd.Value);
        int[] all = [.. chosen];
        if (all.Length <= maxLayers) return all;
        return [.. Enumerable.Range(0, maxLayers).Select(i => all[(int)Math.Round((double)i * (all.Length - 1) / (maxLayers - 1))]).Distinct()];
    }

    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="input"/> and writes, into <paramref name="folder"/> (created
    /// when missing; existing files of the same names are replaced): <see cref="InputFileName"/> (sample 0 of the
    /// input as the network sees it), <see cref="FiltersFileName"/> (the first convolution's filters; skipped when
    /// there is none) and <c>act_NN_name.png</c> per chosen layer (NN its position, name the layer's name with
    /// characters other than letters, digits, '.', '-' and '_' replaced by '_').
    /// </summary>
    /// <param name="model">A network with one image input; not modified.</param>
    /// <param name="input">A batch [N, C, H, W] the model accepts; only sample 0 is drawn.</param>
    /// <param name="folder">Output folder.</param>
    /// <param name="nodes">Node ids whose activations to draw (each with an [N, C, H, W] output); null for <see cref="ChooseLayers"/>.</param>
    /// <param name="maxChannels">Most feature maps per activation picture (the first ones).</param>
    /// <exception cref="ArgumentException">The model has more than one input, or a node is not a layer with a spatial output.</exception>
    public static NetworkVisualization Write(Model model, Tensor input, string folder, IReadOnlyList<int>? nodes = null,
        int maxChannels = ActivationGrid.DefaultMaxChannels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (model.InputCount != 1) throw new ArgumentException($"Visualizing needs a model with one input; '{model.Name}' has {model.InputCount}.", nameof(model));
        IReadOnlyList<int> layers = nodes ?? ChooseLayers(model);
        TensorShape[] shapes = model.InferShapes(batchSize: 1);
        foreach (int id in layers)
            if (id < model.InputCount || id >= model.NodeCount || !IsSpatial(shapes[id]))
                throw new ArgumentException($"Node {id} of '{model.Name}' is not a layer with an [N,C,H,W] output.", nameof(nodes));
        Directory.CreateDirectory(folder);
        var files = new List<string>();

        string inputFile = Path.Combine(folder, InputFileName);
        PngWriter.Save(inputFile, RenderInput(input));
        files.Add(inputFile);

        var first = FilterGrid.FirstConvolution(model);
        if (first is { } conv)
        {
            string filtersFile = Path.Combine(folder, FiltersFileName);
            PngWriter.Save(filtersFile, FilterGrid.Render(conv.Weights, conv.Shape));
            files.Add(filtersFile);
        }

        var drawn = new List<VisualizedLayer>();
        if (layers.Count > 0)
        {
            using Model view = OutputsView(model, layers);
            IReadOnlyList<Tensor> outputs = view.ForwardAll([input], training: false);
            for (int i = 0; i < layers.Count; i++)
            {
                TensorShape shape = outputs[i].Shape;
                int c = shape[1], h = shape[2], w = shape[3];
                ReadOnlySpan<float> sample = outputs[i].ToArray().AsSpan(0, c * h * w); // sample 0 leads the batch
                string name = model.NodeAt(layers[i]).Layer!.Name;
                string file = Path.Combine(folder, ActivationFileName(i, name));
                PngWriter.Save(file, ActivationGrid.Render(sample, c, h, w, maxChannels));
                files.Add(file);
                drawn.Add(new VisualizedLayer(layers[i], name, shape, Math.Min(c, maxChannels), file));
            }
        }
        return new NetworkVisualization(files, first?.Layer.Name, first?.Shape, drawn);
    }

    /// <summary>The file name of activation picture <paramref name="index"/> for the layer <paramref name="layerName"/>: <c>act_NN_name.png</c>.</summary>
    public static string ActivationFileName(int index, string layerName)
    {
        var safe = new StringBuilder(layerName.Length);
        foreach (char ch in layerName) safe.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_');
        return $"act_{index:D2}_{safe}.png";
    }

    private static bool IsSpatial(TensorShape shape) => shape.Rank == 4 && shape[2] * shape[3] > 1;

    /// <summary>A view of every node of <paramref name="model"/>, sharing its layers, whose outputs are <paramref name="nodes"/>.</summary>
    private static Model OutputsView(Model model, IReadOnlyList<int> nodes)
    {
        var view = new Model(model.Context, model.Name + ".visualize", [.. model.InputShapes]) { OwnsLayers = false };
        for (int id = model.InputCount; id < model.NodeCount; id++)
        {
            var (layer, inputs) = model.NodeAt(id);
            view.Add(layer!, [.. inputs]);
        }
        view.SetOutputs([.. nodes]);
        return view;
    }

    /// <summary>Sample 0 of the input: RGB for three channels, else the channel mean in grey; values in [0, 1] as they are, other ranges stretched.</summary>
    private static RgbImage RenderInput(Tensor input)
    {
        TensorShape shape = input.Shape;
        if (shape.Rank != 4) throw new ArgumentException($"Input must be [N,C,H,W]; got {shape}.", nameof(input));
        int c = shape[1], h = shape[2], w = shape[3], plane = h * w;
        ReadOnlySpan<float> sample = input.ToArray().AsSpan(0, c * plane);
        var (min, max) = TensorPixels.Range(sample);
        if (min >= 0 && max <= 1) (min, max) = (0, 1);
        Func<float, byte> level = TensorPixels.MinMax(min, max);
        var image = new RgbImage(w, h, RgbColor.Black);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int at = y * w + x;
                if (c == 3)
                    image.FillRectangle(x, y, 1, 1, new RgbColor(level(sample[at]), level(sample[plane + at]), level(sample[2 * plane + at])));
                else
                {
                    float sum = 0;
                    for (int ch = 0; ch < c; ch++) sum += sample[ch * plane + at];
                    byte grey = level(sum / c);
                    image.FillRectangle(x, y, 1, 1, new RgbColor(grey, grey, grey));
                }
            }
        return image;
    }
}

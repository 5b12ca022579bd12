using VisionPlugin.Engine;

namespace VisionPlugin.Visualization;

/// <summary>What <see cref="NetworkVisualizer.Write"/> wrote.</summary>
/// <param name="Files">Every PNG written, full paths: input.png, filters.png (when the model has a convolution), then the activation files in node order.</param>
/// <param name="FilterLayer">Name of the convolution drawn in filters.png; null when the model has none.</param>
/// <param name="FilterShape">Its filter bank [K, C, KH, KW] (output channel first, also for transposed convolutions); null when none.</param>
/// <param name="Layers">The layers whose activations were drawn, in node order.</param>
public sealed record NetworkVisualization(
    IReadOnlyList<string> Files, string? FilterLayer, TensorShape? FilterShape, IReadOnlyList<VisualizedLayer> Layers);

/// <summary>One activation picture.</summary>
/// <param name="Node">Node id in the model.</param>
/// <param name="Name">The layer's name.</param>
/// <param name="Shape">The layer's output for the batch [N, C, H, W]; sample 0 is drawn.</param>
/// <param name="ChannelsShown">How many of the C maps the picture holds (the first ones).</param>
/// <param name="File">Full path of the PNG.</param>
public sealed record VisualizedLayer(int Node, string Name, TensorShape Shape, int ChannelsShown, string File);

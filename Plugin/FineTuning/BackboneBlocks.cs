using System.Text.RegularExpressions;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.FineTuning;

/// <summary>
/// The backbone's blocks, front to back, as the node ids where each block ends — the places a
/// fine-tuning session may cut the network into a frozen front and a trainable tail. Layers are
/// grouped by name: Keras MobileNetV2 names (<c>block_7_expand</c>, <c>block_7_add</c>) give one block
/// per inverted residual, the stem (<c>Conv1</c>, <c>expanded_conv_*</c>) one, and the final 1x1
/// convolution with its BatchNorm and ReLU (<c>Conv_1</c>, <c>Conv_1_bn</c>, <c>out_relu</c>) one.
/// Other names group by their prefix before the last separator.
/// </summary>
public static partial class BackboneBlocks
{
    /// <summary>
    /// The backbone's layers followed by <paramref name="head"/> on its first output, as one model that shares (does not
    /// own) every layer: the network a fine-tuning session trains and slices into front and tail.
    /// </summary>
    /// <param name="backbone">The pretrained backbone (its layers must outlive the view).</param>
    /// <param name="head">The new classifier layer.</param>
    /// <param name="name">The view's name.</param>
    public static Model WithHead(Model backbone, Layer head, string name)
    {
        var network = new Model(backbone.Context, name, [.. backbone.InputShapes]) { OwnsLayers = false };
        for (int id = backbone.InputCount; id < backbone.NodeCount; id++)
        {
            var (layer, inputs) = backbone.NodeAt(id);
            network.Add(layer!, [.. inputs]);
        }
        network.Add(head, backbone.Outputs[0]);
        return network;
    }

    /// <summary>Node ids ending each block, in order (the last one ends the backbone's convolutions).</summary>
    public static IReadOnlyList<int> Ends(Model backbone)
    {
        var ends = new List<int>();
        string? current = null;
        for (int id = backbone.InputCount; id < backbone.NodeCount; id++)
        {
            string key = BlockKey(backbone.NodeAt(id).Layer!.Name);
            if (key == "pool") break; // global pooling and flatten end the convolutional part
            if (current is not null && key != current) ends.Add(id - 1);
            current = key;
        }
        ends.Add(LastConvolutionalNode(backbone));
        return ends.Distinct().ToList();
    }

    private static int LastConvolutionalNode(Model backbone)
    {
        for (int id = backbone.InputCount; id < backbone.NodeCount; id++)
            if (BlockKey(backbone.NodeAt(id).Layer!.Name) == "pool") return id - 1;
        return backbone.NodeCount - 1;
    }

    private static string BlockKey(string layerName)
    {
        Match block = BlockPattern().Match(layerName);
        if (block.Success) return block.Groups[1].Value;
        if (layerName.StartsWith("Conv1", StringComparison.Ordinal) || layerName.StartsWith("bn_Conv1", StringComparison.Ordinal)
            || layerName.StartsWith("expanded_conv", StringComparison.Ordinal)) return "stem";
        if (layerName is "Conv_1" or "Conv_1_bn" or "out_relu") return "top";
        if (layerName.Contains("pool", StringComparison.OrdinalIgnoreCase) || layerName.StartsWith("flatten", StringComparison.Ordinal)) return "pool";
        int separator = layerName.LastIndexOfAny(['_', '.']);
        return separator > 0 ? layerName[..separator] : layerName;
    }

    [GeneratedRegex("^(block_\\d+)_")]
    private static partial Regex BlockPattern();
}

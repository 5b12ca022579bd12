namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Batch normalization of NCHW feature maps: statistics per channel over N, H and W
/// (PyTorch <c>BatchNorm2d</c>). See <see cref="BatchNormLayer"/>.
/// </summary>
public sealed class BatchNorm2dLayer : BatchNormLayer
{
    public BatchNorm2dLayer(GpuContext context, string name, int channels, BatchNormOptions? options = null)
        : base(context, name, channels, options) { }

    protected override void RequireRank(TensorShape input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d '{Name}' expects an NCHW input with {Channels} channels; got {input}.", nameof(input));
    }
}

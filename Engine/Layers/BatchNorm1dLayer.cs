namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Batch normalization of features: [N, F] with statistics per feature over N, or [N, C, L] with
/// statistics per channel over N and L (PyTorch <c>BatchNorm1d</c>). See <see cref="BatchNormLayer"/>.
/// </summary>
public sealed class BatchNorm1dLayer : BatchNormLayer
{
    /// <param name="channels">F for [N, F] inputs, C for [N, C, L] inputs.</param>
    public BatchNorm1dLayer(GpuContext context, string name, int channels, BatchNormOptions? options = null)
        : base(context, name, channels, options) { }

    protected override void RequireRank(TensorShape input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d '{Name}' expects [N, {Channels}] or [N, {Channels}, L]; got {input}.", nameof(input));
    }
}

namespace VisionPlugin.Engine.Losses;

/// <summary>
/// Squared error l = (x - t)^2, dl/dx = 2 (x - t); with the default Mean reduction this is the mean
/// squared error over all elements (PyTorch's MSELoss). See <see cref="ElementwiseLoss"/>.
/// </summary>
public sealed class MeanSquaredErrorLoss(LossReduction reduction = LossReduction.Mean) : ElementwiseLoss(reduction)
{
    public override string Name => "MeanSquaredError";
    private protected override int Kind => 1;
}

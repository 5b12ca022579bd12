namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A single-input layer whose backward-input kernel can also apply the derivative of the clamp activation that produced
/// its input (<see cref="ActivationDerivativeMask"/>), so that activation's own backward pass becomes a pass-through.
/// <see cref="Models.ActivationBackwardFusion"/> pairs such a layer with the <see cref="ActivationLayer"/> feeding it.
/// </summary>
public interface IFusesInputActivationBackward
{
    /// <summary>
    /// Like <see cref="UnaryLayer.Backward(Tensor, bool)"/>, but the returned gradient is carried on through the
    /// activation whose output was this layer's forward input x: dL/dz = dL/dx * act'(z), read from x.
    /// Parameter gradients are the same as plain Backward's.
    /// </summary>
    Tensor? BackwardThroughInputActivation(Tensor gradOutput, bool needInputGradient, ActivationDerivativeMask inputActivation);
}

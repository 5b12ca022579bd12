namespace VisionPlugin.Engine;

/// <summary>
/// Weight normalization (Salimans &amp; Kingma 2016) on the GPU: a weight w [K, ...] (conv [K, C/groups, KH, KW]
/// or linear [OUT, IN]) re-parameterized per output channel k (axis 0) by a direction v (w's shape) and a
/// magnitude g [K]:
///   w_k = g_k * v_k / ||v_k||.
/// Backward, with vhat = v / ||v||:  dg_k = dw_k . vhat_k,  dv_k = g_k / ||v_k|| * (dw_k - (dw_k . vhat_k) vhat_k).
/// Forward saves the norms ||v_k|| [K] for Backward. A zero row of v has no direction (0/0 gives NaN, as in PyTorch).
/// </summary>
public static class WeightNorm
{
    private const string Op = "WeightNorm";

    /// <summary>Validates the shapes; the weight has the direction's shape.</summary>
    /// <exception cref="ArgumentException">The direction has rank &lt; 2 or the magnitude is not [K]; the message names both shapes.</exception>
    public static TensorShape WeightShape(TensorShape direction, TensorShape magnitude)
    {
        if (direction.Rank < 2) throw new ArgumentException($"{Op} expects a direction [K, ...] of rank >= 2; got {direction}.", nameof(direction));
        if (magnitude.ElementCount != direction[0])
            throw new ArgumentException($"{Op} magnitude must have {direction[0]} elements (one per output channel of direction {direction}); got {magnitude}.", nameof(magnitude));
        return direction;
    }

    /// <summary>weight = magnitude * direction / ||direction|| per output channel; norms receives ||direction_k||.</summary>
    /// <param name="direction">v [K, ...].</param>
    /// <param name="magnitude">g [K] (any shape with K elements, e.g. PyTorch's [K,1,1,1]).</param>
    /// <param name="weight">w, the direction's shape.</param>
    /// <param name="norms">[K]; receives ||v_k|| for <see cref="Backward"/>.</param>
    public static void Forward(Tensor direction, Tensor magnitude, Tensor weight, Tensor norms)
    {
        var (k, l) = Rows(direction, magnitude, weight, nameof(weight), norms);
        GpuContext context = direction.Context;
        context.Programs.Get("weightnorm_norms.comp")
            .Set("K", k).Set("L", l)
            .Bind(0, direction).Bind(1, norms)
            .DispatchLinear(k);
        context.Programs.Get("weightnorm_forward.comp")
            .Set("K", k).Set("L", l)
            .Bind(0, direction).Bind(1, magnitude).Bind(2, norms).Bind(3, weight)
            .DispatchLinear((long)k * l);
    }

    /// <summary>
    /// Given dL/dw: gradMagnitude (+)= dw_k . vhat_k and gradDirection (+)= g_k / ||v_k|| * (dw_k - (dw_k . vhat_k) vhat_k).
    /// </summary>
    /// <param name="norms">||v_k|| saved by <see cref="Forward"/>.</param>
    /// <param name="gradDirection">Null to skip (frozen direction).</param>
    /// <param name="gradMagnitude">Null to skip (frozen magnitude).</param>
    /// <param name="accumulate">Add to the gradients (the default: parameter gradients accumulate until an optimizer zeroes them).</param>
    public static void Backward(Tensor gradWeight, Tensor direction, Tensor magnitude, Tensor norms,
        Tensor? gradDirection, Tensor? gradMagnitude, bool accumulate = true)
    {
        var (k, l) = Rows(direction, magnitude, gradWeight, nameof(gradWeight), norms);
        if (gradDirection is not null && gradDirection.Shape != direction.Shape)
            throw new ArgumentException($"{Op} gradDirection must have the direction's shape {direction.Shape}; got {gradDirection.Shape}.", nameof(gradDirection));
        if (gradMagnitude is not null && gradMagnitude.ElementCount != k)
            throw new ArgumentException($"{Op} gradMagnitude must have {k} elements for direction {direction.Shape}; got {gradMagnitude.Shape}.", nameof(gradMagnitude));
        if (gradDirection is null && gradMagnitude is null) return;
        GpuContext context = direction.Context;
        GpuBuffer projection = context.Scratch("weightnorm.projection", k);
        float beta = accumulate ? 1f : 0f;
        context.Programs.Get("weightnorm_backward_rows.comp")
            .Set("K", k).Set("L", l).Set("writeGradMagnitude", gradMagnitude is null ? 0 : 1).Set("beta", beta)
            .Bind(0, gradWeight).Bind(1, direction).Bind(2, norms).Bind(3, projection).Bind(4, (gradMagnitude ?? norms).Buffer)
            .DispatchLinear(k);
        if (gradDirection is null) return;
        context.Programs.Get("weightnorm_backward.comp")
            .Set("K", k).Set("L", l).Set("beta", beta)
            .Bind(0, gradWeight).Bind(1, direction).Bind(2, magnitude).Bind(3, norms).Bind(4, projection).Bind(5, gradDirection)
            .DispatchLinear((long)k * l);
    }

    /// <summary>(K, L): rows and row length; checks the weight-shaped and [K] tensors.</summary>
    private static (int K, int L) Rows(Tensor direction, Tensor magnitude, Tensor weightShaped, string weightName, Tensor norms)
    {
        TensorShape shape = WeightShape(direction.Shape, magnitude.Shape);
        if (weightShaped.Shape != shape)
            throw new ArgumentException($"{Op} {weightName} must have the direction's shape {shape}; got {weightShaped.Shape}.", weightName);
        int k = shape[0];
        if (norms.ElementCount != k)
            throw new ArgumentException($"{Op} norms must have {k} elements for direction {shape}; got {norms.Shape}.", nameof(norms));
        return (k, k == 0 ? 0 : shape.ElementCount / k);
    }
}

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// Inverted dropout (see <see cref="Dropout"/>): in training each element is zeroed with probability
/// <see cref="P"/> and the survivors are scaled by 1 / (1 - p); in inference, and when <see cref="Layer.Frozen"/>,
/// the layer is the identity and returns its input tensor itself (no copy), as it does for p = 0. Every masking Forward draws a new
/// mask from stream <see cref="DropoutMask.StreamSeed"/>(<see cref="Seed"/>, <see cref="Step"/>) and then advances
/// <see cref="Step"/>; Backward recomputes that mask, so nothing is stored and runs with the same seed repeat exactly.
/// </summary>
public sealed class DropoutLayer : UnaryLayer, IRandomizedLayer
{
        private uint? _lastStream;   // the stream of the last training Forward; null after an identity Forward

    /// <param name="p">Drop probability in [0, 1) (AlexNet 0.5).</param>
    /// <param name="seed">This layer's seed; give layers of one model different seeds.</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    public DropoutLayer(string name, float p = 0.5f, uint seed = 0) : base(name)
    {
        DropoutMask.ValidateProbability(p, $"Dropout '{name}'", nameof(p));
        P = p;
        Seed = seed;
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }
    public uint Seed { get; }
    /// <summary>Training Forward passes so far; the next one uses this step's mask. Settable to resume a run.</summary>
    public long Step { get; set; }

    public override TensorShape OutputShape(TensorShape input) => input;

    public override Tensor Forward(Tensor input, bool training)
    {
        if (!training || Frozen || P == 0f)
        {
            _lastStream = null;
            return input;
        }
        uint stream = DropoutMask.StreamSeed(Seed, Step++);
        Tensor output = OutputTensor(input.Context, input.Shape);
        Dropout.Forward(input, output, P, stream, training: true);
        _lastStream = stream;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        if (!needInputGradient) return null;
        if (_lastStream is not uint stream) return gradOutput; // identity
        Tensor gradInput = GradInputTensor(gradOutput.Context, gradOutput.Shape);
        Dropout.Backward(gradOutput, gradInput, P, stream, training: true);
        return gradInput;
    }

}

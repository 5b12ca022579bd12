namespace VisionPlugin.Classification;

/// <summary>One class of a classification result.</summary>
/// <param name="ClassIndex">Index of the class in the model's output.</param>
/// <param name="Label">The class's name.</param>
/// <param name="Probability">Softmax probability in [0, 1].</param>
public readonly record struct Prediction(int ClassIndex, string Label, float Probability)
{
    /// <summary>"label 93.1 %".</summary>
    public override string ToString() => $"{Label} {Probability:P1}";
}

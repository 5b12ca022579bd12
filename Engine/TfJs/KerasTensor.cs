namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// A Keras tensor as the importer holds it: the engine node producing it and its per-sample engine shape. Keras
/// image tensors are channels-last [H,W,C]; the engine's are [C,H,W], so element orders differ whenever a map is
/// flattened: Keras lays out features as (h, w, c), the engine as (c, h, w). A rank-1 tensor flattened from a map
/// with more than one position keeps that map's Keras shape in <see cref="FlattenedFrom"/>; a following Dense
/// layer permutes its kernel rows to match, and only layers indifferent to feature order may sit in between.
/// </summary>
/// <param name="Node">The engine model's node id.</param>
/// <param name="Shape">Per-sample engine shape: [C,H,W] for maps, [F] for feature vectors.</param>
/// <param name="FlattenedFrom">(H, W, C) of the map this vector was flattened from, when the orders differ.</param>
internal sealed record KerasTensor(int Node, TensorShape Shape, (int H, int W, int C)? FlattenedFrom = null)
{
    public int Rank => Shape.Rank;

    /// <summary>True when the engine's element order equals Keras' (so a reshape is a plain copy).</summary>
    public bool InKerasOrder => FlattenedFrom is null && (Rank != 3 || Shape[0] == 1 || Shape[1] * Shape[2] == 1);

    /// <summary>The Keras shape (channels last), for messages: [H,W,C] or [F].</summary>
    public string KerasShape => Rank == 3 ? $"[{Shape[1]},{Shape[2]},{Shape[0]}]" : Shape.ToString();

    /// <summary>Channels of a map, features of a vector.</summary>
    public int Channels => Shape[0];
}

namespace VisionPlugin.Engine;

/// <summary>How <see cref="Pad2d"/> fills positions outside the input (ONNX Pad modes).</summary>
public enum PadMode
{
    /// <summary>A constant value (<see cref="Pad2dOptions.Value"/>, 0 by default: Keras ZeroPadding2D, torch ZeroPad2d).</summary>
    Constant,
    /// <summary>Mirror without repeating the edge: [a b c] padded by 2 on the left reads [c b | a b c] (torch ReflectionPad2d, numpy "reflect").</summary>
    Reflect,
    /// <summary>Repeat the edge: [a b c] padded by 2 on the left reads [a a | a b c] (torch ReplicationPad2d, numpy "edge").</summary>
    Edge,
}

/// <summary>
/// Padding of the two spatial axes of an NCHW tensor, per side. A negative amount crops that side instead
/// (ONNX Pad accepts negative pads), so one op covers pad, crop and shift; every output axis must keep at
/// least one element. Reflect padding must be smaller than the axis it mirrors (it reflects once). Immutable.
/// </summary>
public sealed record Pad2dOptions
{
    /// <summary>Rows/columns added (or, when negative, removed) at the top, left, bottom and right.</summary>
    public Padding2d Padding { get; init; }
    public PadMode Mode { get; init; } = PadMode.Constant;
    /// <summary>Fill value of <see cref="PadMode.Constant"/>; ignored by the other modes.</summary>
    public float Value { get; init; }

    /// <summary>Zero padding (negative amounts crop).</summary>
    public static Pad2dOptions Zero(Padding2d padding) => new() { Padding = padding };

    /// <summary>Constant padding with <paramref name="value"/>.</summary>
    public static Pad2dOptions Constant(Padding2d padding, float value) => new() { Padding = padding, Value = value };

    public static Pad2dOptions Reflect(Padding2d padding) => new() { Padding = padding, Mode = PadMode.Reflect };

    public static Pad2dOptions Edge(Padding2d padding) => new() { Padding = padding, Mode = PadMode.Edge };

    public override string ToString() => $"{Mode}{(Mode == PadMode.Constant ? $" {Value}" : "")} {Padding}";
}

namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// What a warp reads where it samples outside the source image (OpenCV's border names; the numbers are the
/// shader's <c>BORDER_*</c> constants in <c>augment_sample.glsl</c>).
/// </summary>
public enum BorderMode
{
    /// <summary>A constant fill value (OpenCV <c>BORDER_CONSTANT</c>, PyTorch <c>padding_mode="zeros"</c> with fill 0).</summary>
    Constant = 0,

    /// <summary>The image mirrored with the edge pixel repeated, <c>... c b a | a b c ...</c> (OpenCV <c>BORDER_REFLECT</c>).</summary>
    Reflect = 1,

    /// <summary>The nearest edge pixel (OpenCV <c>BORDER_REPLICATE</c>, PyTorch <c>padding_mode="border"</c>).</summary>
    Edge = 2,
}

/// <summary>A border mode with the value <see cref="BorderMode.Constant"/> fills with (ignored by the other modes).</summary>
public readonly record struct Border(BorderMode Mode, float Fill = 0f)
{
    /// <summary>Constant zero (black for images in [0,1]).</summary>
    public static Border Zero => new(BorderMode.Constant, 0f);

    /// <summary>Mirror with the edge pixel repeated.</summary>
    public static Border Reflect => new(BorderMode.Reflect);

    /// <summary>Repeat the edge pixel.</summary>
    public static Border Edge => new(BorderMode.Edge);
}

namespace VisionPlugin.Host.Rendering;

/// <summary>An axis-aligned rectangle in pixels of a render target: (X, Y) is the top-left corner, y grows downwards.</summary>
public readonly record struct PixelRect(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public bool IsEmpty => !(Width > 0 && Height > 0);

    /// <summary>True when the two rectangles share interior area (touching edges do not count).</summary>
    public bool Overlaps(PixelRect other) =>
        !IsEmpty && !other.IsEmpty && X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    /// <summary>True when <paramref name="other"/> lies wholly inside this rectangle.</summary>
    public bool Contains(PixelRect other) =>
        other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>The rectangle shrunk by <paramref name="amount"/> pixels on every side.</summary>
    public PixelRect Inset(float amount) => new(X + amount, Y + amount, Math.Max(0, Width - 2 * amount), Math.Max(0, Height - 2 * amount));

    public override string ToString() => $"({X:0.#},{Y:0.#} {Width:0.#}x{Height:0.#})";
}

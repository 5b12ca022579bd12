namespace VisionPlugin.Visualization;

/// <summary>
/// A raster of RGB8 pixels in memory (row-major, top row first, 3 bytes per pixel, no row padding)
/// with the few drawing operations charts need: rectangles, anti-aliased lines and dots, and text
/// in the built-in <see cref="BitmapFont"/>. Drawing is clipped to the image: shapes that reach
/// outside it are cut, never rejected.
/// </summary>
/// <remarks>
/// Coordinates: integer <c>(x, y)</c> names the pixel in column x, row y (y grows downwards); the
/// anti-aliased shapes take fractional coordinates in which integers are pixel centers.
/// Not thread-safe: draw from one thread at a time.
/// </remarks>
public sealed class RgbImage
{
    /// <summary>Bytes per pixel: red, green, blue.</summary>
    public const int BytesPerPixel = 3;

    /// <summary>Largest width or height accepted (keeps <c>width * height * 3</c> well inside an array).</summary>
    public const int MaxSide = 16384;

    private readonly byte[] _pixels;

    /// <summary>Creates an image filled with <paramref name="background"/>.</summary>
    /// <param name="width">Columns, 1..<see cref="MaxSide"/>.</param>
    /// <param name="height">Rows, 1..<see cref="MaxSide"/>.</param>
    /// <param name="background">Initial color of every pixel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is outside 1..<see cref="MaxSide"/>.</exception>
    public RgbImage(int width, int height, RgbColor background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        Width = width;
        Height = height;
        _pixels = new byte[width * height * BytesPerPixel];
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>All pixels, row-major from the top row: R, G, B of (0,0), then of (1,0), and so on.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The color of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column, 0..<see cref="Width"/>-1.</param>
    /// <param name="y">Row, 0..<see cref="Height"/>-1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pixel is outside the image.</exception>
    public RgbColor this[int x, int y]
    {
        get
        {
            int i = Offset(x, y);
            return new RgbColor(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
        set => Store(Offset(x, y), value);
    }

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) lies inside the image.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    /// <summary>Paints the pixels with columns x..x+width-1 and rows y..y+height-1 (the part inside the image).</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns to paint; 0 or less paints nothing.</param>
    /// <param name="height">Rows to paint; 0 or less paints nothing.</param>
    /// <param name="color">The paint.</param>
    public void FillRectangle(int x, int y, int width, int height, RgbColor color)
    {
        int left = Math.Max(x, 0), top = Math.Max(y, 0);
        int right = (int)Math.Min((long)x + width, Width), bottom = (int)Math.Min((long)y + height, Height);
        for (int row = top; row < bottom; row++)
            for (int column = left; column < right; column++)
                Store((row * Width + column) * BytesPerPixel, color);
    }

    /// <summary>Lays <paramref name="color"/> over one pixel with the given opacity; no-op outside the image.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The paint.</param>
    /// <param name="coverage">Opacity in [0, 1] (clamped): 1 replaces the pixel, 0 leaves it.</param>
    public void BlendPixel(int x, int y, RgbColor color, double coverage)
    {
        if (!Contains(x, y) || !(coverage > 0)) return;
        int i = Offset(x, y);
        var under = new RgbColor(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        Store(i, coverage >= 1 ? color : color.Over(under, coverage));
    }

    /// <summary>
    /// Draws an anti-aliased line segment with round ends. A pixel is covered by
    /// <c>clamp(thickness/2 + 0.5 - d, 0, 1)</c>, d being the distance from its center to the segment,
    /// so a 1-pixel horizontal line between integer coordinates is crisp.
    /// </summary>
    /// <param name="x0">Start column (pixel centers at integers).</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="color">The paint.</param>
    /// <param name="thickness">Stroke width in pixels, 1..16.</param>
    /// <exception cref="ArgumentOutOfRangeException">The thickness is outside 1..16.</exception>
    /// <exception cref="ArgumentException">A coordinate is NaN or infinite.</exception>
    public void DrawLine(double x0, double y0, double x1, double y1, RgbColor color, double thickness = 1)
    {
        ThrowIfNotFinite(x0, y0, x1, y1);
        if (!(thickness >= 1 && thickness <= 16)) throw new ArgumentOutOfRangeException(nameof(thickness), thickness, "Line thickness must be in 1..16 pixels.");
        double halfWidth = thickness / 2, dx = x1 - x0, dy = y1 - y0;
        bool steep = Math.Abs(dy) > Math.Abs(dx);
        // Walk the major axis; across it, visit the band the stroke can touch (+1.5 for the soft edge).
        double major0 = steep ? y0 : x0, major1 = steep ? y1 : x1, minor0 = steep ? x0 : y0, minor1 = steep ? x1 : y1;
        double majorLength = Math.Abs(major1 - major0), length = Math.Sqrt(dx * dx + dy * dy);
        double band = (majorLength > 0 ? halfWidth * length / majorLength : halfWidth) + 1.5;
        int majorLimit = steep ? Height - 1 : Width - 1, minorLimit = steep ? Width - 1 : Height - 1;
        int from = Math.Max(0, (int)Math.Floor(Math.Min(major0, major1) - halfWidth - 1));
        int to = Math.Min(majorLimit, (int)Math.Ceiling(Math.Max(major0, major1) + halfWidth + 1));
        for (int major = from; major <= to; major++)
        {
            double t = majorLength > 0 ? Math.Clamp((major - major0) / (major1 - major0), 0, 1) : 0;
            double center = minor0 + t * (minor1 - minor0);
            int low = Math.Max(0, (int)Math.Floor(center - band)), high = Math.Min(minorLimit, (int)Math.Ceiling(center + band));
            for (int minor = low; minor <= high; minor++)
            {
                int x = steep ? minor : major, y = steep ? major : minor;
                double coverage = halfWidth + 0.5 - DistanceToSegment(x, y, x0, y0, x1, y1);
                BlendPixel(x, y, color, coverage);
            }
        }
    }

    /// <summary>Draws an anti-aliased filled disc (a pixel is covered by <c>clamp(radius + 0.5 - d, 0, 1)</c>).</summary>
    /// <param name="centerX">Center column (pixel centers at integers).</param>
    /// <param name="centerY">Center row.</param>
    /// <param name="radius">Radius in pixels, 0.5..64.</param>
    /// <param name="color">The paint.</param>
    /// <exception cref="ArgumentOutOfRangeException">The radius is outside 0.5..64.</exception>
    /// <exception cref="ArgumentException">A coordinate is NaN or infinite.</exception>
    public void FillCircle(double centerX, double centerY, double radius, RgbColor color)
    {
        ThrowIfNotFinite(centerX, centerY, 0, 0);
        if (!(radius >= 0.5 && radius <= 64)) throw new ArgumentOutOfRangeException(nameof(radius), radius, "Circle radius must be in 0.5..64 pixels.");
        int left = Math.Max(0, (int)Math.Floor(centerX - radius - 1)), right = Math.Min(Width - 1, (int)Math.Ceiling(centerX + radius + 1));
        int top = Math.Max(0, (int)Math.Floor(centerY - radius - 1)), bottom = Math.Min(Height - 1, (int)Math.Ceiling(centerY + radius + 1));
        for (int y = top; y <= bottom; y++)
            for (int x = left; x <= right; x++)
                BlendPixel(x, y, color, radius + 0.5 - Math.Sqrt((x - centerX) * (x - centerX) + (y - centerY) * (y - centerY)));
    }

    /// <summary>
    /// Draws one line of text in the built-in <see cref="BitmapFont"/>, each font pixel as a
    /// <paramref name="scale"/> x <paramref name="scale"/> block (no anti-aliasing). Its width is
    /// <see cref="BitmapFont.MeasureWidth"/>; capitals are <c>BitmapFont.CapHeight * scale</c> tall.
    /// </summary>
    /// <param name="text">The text; characters outside printable ASCII draw as '?'.</param>
    /// <param name="x">Column of the left edge of the first glyph.</param>
    /// <param name="y">Row of the top of the capitals.</param>
    /// <param name="color">The ink.</param>
    /// <param name="scale">Integer magnification, 1..16.</param>
    public void DrawText(string text, int x, int y, RgbColor color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 16);
        for (int i = 0; i < text.Length; i++)
        {
            int glyphLeft = x + i * BitmapFont.Advance * scale;
            if (glyphLeft >= Width) break;
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                    if (BitmapFont.IsInk(text[i], column, row))
                        FillRectangle(glyphLeft + column * scale, y + row * scale, scale, scale, color);
        }
    }

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x), x, $"Column must be in 0..{Width - 1}.");
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y), y, $"Row must be in 0..{Height - 1}.");
        return (y * Width + x) * BytesPerPixel;
    }

    private void Store(int offset, RgbColor color)
    {
        _pixels[offset] = color.R;
        _pixels[offset + 1] = color.G;
        _pixels[offset + 2] = color.B;
    }

    // Distance from point p to segment ab: project p on the line, clamp the parameter to [0, 1].
    private static double DistanceToSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay, lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared > 0 ? Math.Clamp(((px - ax) * dx + (py - ay) * dy) / lengthSquared, 0, 1) : 0;
        double ex = px - (ax + t * dx), ey = py - (ay + t * dy);
        return Math.Sqrt(ex * ex + ey * ey);
    }

    private static void ThrowIfNotFinite(double a, double b, double c, double d)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(d))
            throw new ArgumentException($"Coordinates must be finite; got ({a}, {b}, {c}, {d}).");
    }
}

using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// Printable ASCII (32..126) rasterized once by an <see cref="IGlyphRasterizer"/> and packed into one R8 texture
/// (coverage), plus a 2x2 block of full coverage at the origin that solid rectangles sample, so panels, bars and
/// text share one texture and one draw. Glyphs are drawn 1:1 (nearest filtering, whole-pixel positions).
/// Owns the texture; GL thread only; dispose idempotent.
/// </summary>
public sealed class GlyphAtlas : IDisposable
{
    public const char FirstCharacter = ' ', LastCharacter = '~';
    private const int AtlasWidth = 512, Padding = 2;
    private readonly GpuContext _context;
    private readonly AtlasGlyph[] _glyphs = new AtlasGlyph[LastCharacter - FirstCharacter + 1];
    private uint _texture;

    /// <summary>A glyph's place in the atlas (texels) and its metrics (pixels).</summary>
    internal readonly record struct AtlasGlyph(int X, int Y, int Width, int Height, int BearingX, int BearingY, float Advance);

    public GlyphAtlas(GpuContext context, IGlyphRasterizer rasterizer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rasterizer);
        context.VerifyAccess();
        _context = context;
        LineHeight = rasterizer.LineHeight;
        Ascent = rasterizer.Ascent;
        if (LineHeight < 1 || Ascent < 0 || Ascent > LineHeight)
            throw new ArgumentException($"Rasterizer metrics are inconsistent: line height {LineHeight}, ascent {Ascent}.", nameof(rasterizer));
        var bitmaps = new GlyphBitmap[_glyphs.Length];
        // Shelf packing: left to right, a new shelf when the row is full; the first 2x2 texels are solid.
        int x = 2 + Padding, y = 0, shelfHeight = 2;
        for (int i = 0; i < bitmaps.Length; i++)
        {
            char character = (char)(FirstCharacter + i);
            GlyphBitmap bitmap = bitmaps[i] = rasterizer.Rasterize(character);
            bitmap.Validate(character);
            if (bitmap.Width > AtlasWidth - Padding) throw new ArgumentException($"Glyph '{character}' is {bitmap.Width} pixels wide; the atlas is {AtlasWidth}.", nameof(rasterizer));
            if (x + bitmap.Width > AtlasWidth) { x = 0; y += shelfHeight + Padding; shelfHeight = 0; }
            _glyphs[i] = new AtlasGlyph(x, y, bitmap.Width, bitmap.Height, bitmap.BearingX, bitmap.BearingY, bitmap.Advance);
            x += bitmap.Width + Padding;
            shelfHeight = Math.Max(shelfHeight, bitmap.Height);
        }
        Width = AtlasWidth;
        Height = y + shelfHeight;
        byte[] texels = new byte[Width * Height];
        texels[0] = texels[1] = texels[Width] = texels[Width + 1] = 255;
        for (int i = 0; i < bitmaps.Length; i++)
            for (int row = 0; row < _glyphs[i].Height; row++)
                bitmaps[i].Alpha.AsSpan(row * _glyphs[i].Width, _glyphs[i].Width).CopyTo(texels.AsSpan((_glyphs[i].Y + row) * Width + _glyphs[i].X));
        _texture = Upload(context.GL, texels, Width, Height);
        context.CheckError($"uploading a {Width}x{Height} glyph atlas");
    }

    public int LineHeight { get; }
    public int Ascent { get; }
    public int Width { get; }
    public int Height { get; }
    public uint TextureId => _texture;

    /// <summary>Texture coordinate of full coverage (inside the 2x2 solid block).</summary>
    internal (float U, float V) SolidTexCoord => (1f / Width, 1f / Height);

    internal AtlasGlyph Glyph(char character) =>
        _glyphs[character is >= FirstCharacter and <= LastCharacter ? character - FirstCharacter : '?' - FirstCharacter];

    /// <summary>Width in pixels of one line of <paramref name="text"/> (sum of advances).</summary>
    public float MeasureWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        float width = 0;
        foreach (char c in text) width += Glyph(c).Advance;
        return width;
    }

    /// <summary><paramref name="text"/> unchanged if it fits in <paramref name="maxWidth"/>, else cut and ended with "...".</summary>
    public string Ellipsize(string text, float maxWidth)
    {
        if (MeasureWidth(text) <= maxWidth) return text;
        float budget = maxWidth - MeasureWidth("...");
        int length = 0;
        for (float used = 0; length < text.Length && used + Glyph(text[length]).Advance <= budget; length++) used += Glyph(text[length]).Advance;
        return length == 0 ? "" : text[..length].TrimEnd() + "...";
    }

    private static uint Upload(GL gl, byte[] texels, int width, int height)
    {
        uint texture = gl.GenTexture();
        gl.ActiveTexture(GL.TEXTURE0);
        gl.BindTexture(GL.TEXTURE_2D, texture);
        int previousAlignment = gl.GetInteger(GL.UNPACK_ALIGNMENT);
        gl.PixelStore(GL.UNPACK_ALIGNMENT, 1);
        gl.TexImage2D(GL.TEXTURE_2D, GL.R8, width, height, GL.RED, GL.UNSIGNED_BYTE, texels);
        gl.PixelStore(GL.UNPACK_ALIGNMENT, previousAlignment);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MIN_FILTER, (int)GL.NEAREST);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MAG_FILTER, (int)GL.NEAREST);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_WRAP_S, (int)GL.CLAMP_TO_EDGE);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_WRAP_T, (int)GL.CLAMP_TO_EDGE);
        gl.BindTexture(GL.TEXTURE_2D, 0);
        return texture;
    }

    public void Dispose()
    {
        if (_texture == 0) return;
        _context.VerifyAccess();
        _context.GL.DeleteTexture(_texture);
        _texture = 0;
    }
}

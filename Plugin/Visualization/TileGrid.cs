namespace VisionPlugin.Visualization;

/// <summary>
/// The layout shared by the filter and activation pictures: <c>count</c> equal tiles in a near-square grid
/// (columns = ceil(sqrt(count))), each framed by one-pixel separators, so the image is
/// <c>columns * (tileWidth + 1) + 1</c> wide and <c>rows * (tileHeight + 1) + 1</c> tall.
/// </summary>
internal sealed class TileGrid
{
    /// <summary>Color of the separator lines and of grid cells without a tile (a medium blue, apart from black, white and any grey).</summary>
    public static readonly RgbColor SeparatorColor = new(64, 96, 176);

    public TileGrid(int count, int tileWidth, int tileHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        TileWidth = tileWidth;
        TileHeight = tileHeight;
        Columns = (int)Math.Ceiling(Math.Sqrt(count));
        Rows = (count + Columns - 1) / Columns;
    }

    public int Count { get; }
    public int TileWidth { get; }
    public int TileHeight { get; }
    public int Columns { get; }
    public int Rows { get; }
    public int Width => Columns * (TileWidth + 1) + 1;
    public int Height => Rows * (TileHeight + 1) + 1;

    /// <summary>An image of the grid's size with every pixel the separator color, ready for tiles.</summary>
    public RgbImage CreateImage() => new(Width, Height, SeparatorColor);

    /// <summary>Top-left pixel of tile <paramref name="index"/> (row-major).</summary>
    public (int X, int Y) Origin(int index) => (1 + index % Columns * (TileWidth + 1), 1 + index / Columns * (TileHeight + 1));
}

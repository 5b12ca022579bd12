namespace VisionPlugin.Visualization;

/// <summary>
/// One named line of a <see cref="PlotPanel"/>: points joined in the order given. A point whose X or
/// Y is NaN or infinite is not drawn and breaks the line there; a point with no drawable neighbour
/// is drawn as a dot, so a series of one point is still visible.
/// </summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">The points, usually in ascending X (epoch).</param>
/// <param name="Color">Line color; null picks <see cref="RgbColor.SeriesPalette"/>[index of the series in its panel].</param>
public sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points, RgbColor? Color = null)
{
    /// <summary>Whether the series has at least one point that can be drawn (finite X and Y).</summary>
    public bool HasFinitePoints => Points.Any(IsFinite);

    internal static bool IsFinite((double X, double Y) point) => double.IsFinite(point.X) && double.IsFinite(point.Y);
}

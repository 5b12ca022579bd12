namespace VisionPlugin.Visualization;

/// <summary>
/// One chart of a <see cref="LinePlot"/>: a title, the series drawn against a shared value axis, and
/// optional limits for that axis. Panels of one plot are stacked top to bottom and share the X axis.
/// </summary>
/// <param name="Title">Shown above the chart on the left (e.g. "Loss", "Accuracy (%)").</param>
/// <param name="Series">Lines to draw; series without a finite point are left out of the chart and the legend.</param>
public sealed record PlotPanel(string Title, IReadOnlyList<PlotSeries> Series)
{
    /// <summary>
    /// The value axis does not reach below this (it still reaches the data): 0 for a loss keeps the
    /// axis from showing negative values. Negative infinity (the default) sets no limit.
    /// </summary>
    public double AxisFloor { get; init; } = double.NegativeInfinity;

    /// <summary>
    /// The value axis does not reach above this (it still reaches the data): 100 for an accuracy in
    /// percent. Positive infinity (the default) sets no limit.
    /// </summary>
    public double AxisCeiling { get; init; } = double.PositiveInfinity;
}

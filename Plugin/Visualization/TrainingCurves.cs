namespace VisionPlugin.Visualization;

/// <summary>
/// The "loss and accuracy per epoch" picture of a training run: two stacked panels sharing the epoch
/// axis, loss on top and accuracy in percent below, each with the training series (blue) and, where
/// there is one, the validation series (orange).
/// </summary>
public static class TrainingCurves
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>Color of the training series (palette blue).</summary>
    public static RgbColor TrainColor => RgbColor.SeriesPalette[0];

    /// <summary>Color of the validation series (palette orange).</summary>
    public static RgbColor ValidationColor => RgbColor.SeriesPalette[1];

    /// <summary>
    /// Builds the plot of <paramref name="history"/>: a "Loss" panel (axis from 0 at the lowest) and an
    /// "Accuracy (%)" panel (axis within 0..100 unless the data leave it). Null validation figures
    /// (epochs without a validation pass) are gaps; NaN losses (diverged epochs) are gaps too.
    /// An empty history gives empty axes.
    /// </summary>
    /// <param name="history">One entry per finished epoch, in order; accuracies are fractions in [0, 1].</param>
    /// <param name="title">Plot title (e.g. the model and data set).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="validationLabel">Legend name of the held-out curves (e.g. "test" when they come from a test set).</param>
    public static LinePlot Create(
        IReadOnlyList<(int Epoch, double TrainLoss, double? ValidationLoss, double TrainAccuracy, double? ValidationAccuracy)> history,
        string title, int width = DefaultWidth, int height = DefaultHeight, string validationLabel = "validation")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(title);
        (double, double)[] Points(Func<(int Epoch, double TrainLoss, double? ValidationLoss, double TrainAccuracy, double? ValidationAccuracy), double> value) =>
            history.Select(entry => ((double)entry.Epoch, value(entry))).ToArray();

        var loss = new PlotPanel("Loss",
        [
            new PlotSeries("train", Points(e => e.TrainLoss), TrainColor),
            new PlotSeries(validationLabel, Points(e => e.ValidationLoss ?? double.NaN), ValidationColor),
        ]) { AxisFloor = 0 };
        var accuracy = new PlotPanel("Accuracy (%)",
        [
            new PlotSeries("train", Points(e => 100 * e.TrainAccuracy), TrainColor),
            new PlotSeries(validationLabel, Points(e => 100 * (e.ValidationAccuracy ?? double.NaN)), ValidationColor),
        ]) { AxisFloor = 0, AxisCeiling = 100 };
        return new LinePlot(title, [loss, accuracy]) { XAxisTitle = "epoch", WholeNumberX = true, Width = width, Height = height };
    }

    /// <summary>Renders <paramref name="history"/> as described in <see cref="Create"/>.</summary>
    /// <param name="history">One entry per finished epoch, in order; accuracies are fractions in [0, 1].</param>
    /// <param name="title">Plot title.</param>
    public static RgbImage Render(
        IReadOnlyList<(int Epoch, double TrainLoss, double? ValidationLoss, double TrainAccuracy, double? ValidationAccuracy)> history,
        string title) => Create(history, title).Render();

    /// <summary>
    /// Writes the loss and accuracy curves of <paramref name="history"/> to <paramref name="path"/> as a
    /// 900x600 PNG, atomically (a temporary file in the same folder, then a rename), replacing any
    /// earlier picture, so it can be called after every epoch.
    /// </summary>
    /// <param name="path">Target .png file; its folder must exist.</param>
    /// <param name="history">One entry per finished epoch, in order; accuracies are fractions in [0, 1].</param>
    /// <param name="title">Plot title.</param>
    /// <param name="validationLabel">Legend name of the held-out curves (e.g. "test").</param>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Save(
        string path,
        IReadOnlyList<(int Epoch, double TrainLoss, double? ValidationLoss, double TrainAccuracy, double? ValidationAccuracy)> history,
        string title, string validationLabel = "validation") => Create(history, title, validationLabel: validationLabel).Save(path);
}

using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class TrainingCurvesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-curves-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<(int Epoch, double TrainLoss, double? ValidationLoss, double TrainAccuracy, double? ValidationAccuracy)> History(int epochs, bool validation) =>
        Enumerable.Range(1, epochs)
            .Select(e => (e, 2.0 / e, validation ? 2.2 / e + 0.1 : (double?)null, 1 - 0.6 / e, validation ? 0.9 - 0.6 / e : (double?)null))
            .ToList();

    [Fact]
    public void Save_writes_a_900_by_600_png_and_no_temporary_file()
    {
        string path = Path.Combine(_folder, "curves.png");
        TrainingCurves.Save(path, History(12, validation: true), "test run");
        TrainingCurves.Save(path, History(13, validation: true), "test run"); // called again after the next epoch
        DecodedPng png = PngTestDecoder.Decode(File.ReadAllBytes(path));
        Assert.Equal((900, 600, (byte)2), (png.Width, png.Height, png.ColorType));
        Assert.Equal(PngWriter.Encode(TrainingCurves.Render(History(13, validation: true), "test run")), File.ReadAllBytes(path));
        Assert.Equal(["curves.png"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Loss_and_accuracy_in_percent_are_stacked_panels_with_train_and_validation()
    {
        LinePlot plot = TrainingCurves.Create(History(4, validation: true), "t");
        Assert.Equal(["Loss", "Accuracy (%)"], plot.Panels.Select(p => p.Title));
        Assert.All(plot.Panels, p => Assert.Equal(["train", "validation"], p.Series.Select(s => s.Name)));
        Assert.Equal((2, 100 * (1 - 0.6 / 2)), plot.Panels[1].Series[0].Points[1]);
        Assert.Equal((100.0, 0.0), (plot.Panels[1].AxisCeiling, plot.Panels[1].AxisFloor));
        Assert.Equal("epoch", plot.XAxisTitle);
        Assert.True(plot.WholeNumberX);
    }

    [Fact]
    public void Without_validation_there_is_no_validation_color_anywhere()
    {
        RgbImage image = TrainingCurves.Render(History(6, validation: false), "no validation");
        int validation = 0, train = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y] == TrainingCurves.ValidationColor) validation++;
                if (image[x, y] == TrainingCurves.TrainColor) train++;
            }
        Assert.Equal(0, validation);
        Assert.True(train > 100);
    }

    [Fact]
    public void One_epoch_and_no_epochs_render()
    {
        Assert.Equal(900, TrainingCurves.Render(History(1, validation: true), "first epoch").Width);
        Assert.Equal(600, TrainingCurves.Render([], "nothing yet").Height);
    }
}

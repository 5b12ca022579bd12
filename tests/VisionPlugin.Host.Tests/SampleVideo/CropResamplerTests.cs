using VisionPlugin.Host.SampleVideo;

namespace VisionPlugin.Host.Tests.SampleVideo;

public sealed class CropResamplerTests
{
    private static byte[] Ramp(int width, int height) =>
        [.. Enumerable.Range(0, width * height * 3).Select(i => (byte)(i * 37 % 251))];

    [Fact]
    public void WholeImageAtTheSameSize_IsTheImageWithRedAndBlueSwapped()
    {
        byte[] rgb = Ramp(7, 5), bgr = new byte[7 * 5 * 3];
        new CropResampler().Resample(rgb, 7, 5, new CropWindow(0, 0, 7, 5), bgr, 7, 5);
        for (int p = 0; p < 35; p++) Assert.Equal((rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]), (bgr[3 * p + 2], bgr[3 * p + 1], bgr[3 * p]));
    }

    [Fact]
    public void HalvingAveragesEach2x2Block()
    {
        byte[] rgb = Ramp(4, 4), bgr = new byte[2 * 2 * 3];
        new CropResampler().Resample(rgb, 4, 4, new CropWindow(0, 0, 4, 4), bgr, 2, 2);
        for (int y = 0; y < 2; y++)
        for (int x = 0; x < 2; x++)
        for (int c = 0; c < 3; c++)
        {
            double mean = new[] { (0, 0), (1, 0), (0, 1), (1, 1) }.Average(d => rgb[3 * ((2 * y + d.Item2) * 4 + 2 * x + d.Item1) + c]);
            Assert.Equal((byte)Math.Round(mean, MidpointRounding.ToEven), bgr[3 * (y * 2 + x) + 2 - c]);
        }
    }

    [Fact]
    public void AFractionalWindowWeightsPartlyCoveredPixels()
    {
        // One row 0, 100, 200 (grey); the window [0.5, 2.5) of width 2 onto 1 pixel covers 0.5 * 0 + 1 * 100 + 0.5 * 200.
        byte[] rgb = [0, 0, 0, 100, 100, 100, 200, 200, 200], bgr = new byte[3];
        new CropResampler().Resample(rgb, 3, 1, new CropWindow(0.5, 0, 2, 1), bgr, 1, 1);
        Assert.Equal(100, bgr[0]);
    }

    [Fact]
    public void EnlargingInterpolatesBilinearly()
    {
        byte[] rgb = [0, 0, 0, 200, 200, 200], bgr = new byte[4 * 3];
        new CropResampler().Resample(rgb, 2, 1, new CropWindow(0, 0, 2, 1), bgr, 4, 1);
        // Output centres at source x = -0.25, 0.25, 0.75, 1.25 (clamped to 0..1): 0, 50, 150, 200.
        Assert.Equal(new byte[] { 0, 50, 150, 200 }, new[] { bgr[0], bgr[3], bgr[6], bgr[9] });
    }

    [Fact]
    public void WrongBufferSizes_AreRejectedWithBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new CropResampler().Resample(new byte[10], 2, 2, new CropWindow(0, 0, 2, 2), new byte[12], 2, 2));
        Assert.Contains("2x2 RGB8 image has 12 bytes; got 10", error.Message);
    }
}

using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests.Rendering;

/// <summary>The per-frame BGR read-back (the headless recorder's path) equals the RGB screenshot read-back, channel-swapped.</summary>
[Collection("HeadlessGl")]
public sealed class FramebufferReaderTests(HeadlessGlFixture gl)
{
    [Fact]
    public void ReadBgr_gives_the_screenshot_pixels_top_row_first_in_BGR_order()
    {
        gl.Run(ctx =>
        {
            const int width = 97, height = 61; // odd sizes: no row padding is assumed
            using var target = new OffscreenTarget(ctx, width, height);
            using var rig = new SceneRig(ctx);
            target.Bind();
            rig.Preview.Upload(TestScenes.Quadrants(40, 30), 40, 30, 40 * 3);
            rig.Draw(width, height, null);
            RgbImage rgb = FramebufferReader.ReadRgb(ctx, width, height);
            var bgr = new byte[width * height * 3];
            FramebufferReader.ReadBgr(ctx, width, height, bgr);
            target.Unbind();
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = (y * width + x) * 3;
                    RgbColor expected = rgb[x, y];
                    Assert.True(bgr[i] == expected.B && bgr[i + 1] == expected.G && bgr[i + 2] == expected.R,
                        $"ReadBgr {width}x{height} at [{x},{y}]: expected BGR ({expected.B},{expected.G},{expected.R}), got ({bgr[i]},{bgr[i + 1]},{bgr[i + 2]})");
                }
            Assert.Throws<ArgumentOutOfRangeException>(() => FramebufferReader.ReadBgr(ctx, width, height, new byte[10]));
        });
    }
}

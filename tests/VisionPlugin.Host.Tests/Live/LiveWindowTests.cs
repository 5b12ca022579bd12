using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Live;
using VisionPlugin.Imaging;

namespace VisionPlugin.Host.Tests.Live;

/// <summary>The live window under Xvfb, driven by synthesized X key events (xdotool), on a GStreamer test pattern as the camera.</summary>
[Collection("Xvfb")]
public sealed class LiveWindowTests(XvfbFixture xvfb)
{
    private const string RedCamera = "videotestsrc is-live=true pattern=red ! video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert ! appsink";

    [Fact]
    public void SynthesizedKeysCaptureSamplesIntoTheRightClassAndNameClasses_AndTheWindowShowsPreviewPlusOverlay()
    {
        string title = $"vp-live-{Guid.NewGuid():N}";
        string output = Path.Combine(Path.GetTempPath(), title);
        string screenshot = Path.Combine(output, "window.png");
        Exception? keyFailure = null;
        var keys = new Thread(() => { try { SendKeys(); } catch (Exception e) { keyFailure = e; } });
        void SendKeys()
        {
            string id = xvfb.RunClient("xdotool", $"search --sync --name {title}").Trim().Split('\n')[0];
            xvfb.RunClient("xdotool", $"windowfocus --sync {id}");
            Thread.Sleep(500);                                                  // frames are flowing
            xvfb.RunClient("xdotool", $"key --window {id} 2");                  // a sample of class 2
            Thread.Sleep(300);
            xvfb.RunClient("xdotool", $"key --window {id} n 3 m u g Return");   // name class 3 "mug"
            Thread.Sleep(300);
            xvfb.RunClient("xdotool", $"key --window {id} 3");                  // a sample of "mug"
        }
        keys.Start();
        var options = new LiveAppOptions
        {
            Source = RedCamera, OutputDirectory = output, WindowTitle = title, Width = 640, Height = 360, ScreenshotPath = screenshot,
            Until = s => s.Classes.Any(c => c.Key == 3 && c.SampleCount >= 1), MaxDuration = TimeSpan.FromSeconds(60),
        };
        LiveRunSummary summary = WindowRunner.Run(options, new SelectedSource(SourceSpec.Parse(RedCamera), null, null),
            runtime => new LiveSession(runtime, new LiveSessionOptions { OutputDirectory = output }), TextWriter.Null);
        keys.Join(TimeSpan.FromSeconds(30));
        Assert.Null(keyFailure);

        Assert.Equal([(2, "class 2", 1), (3, "mug", 1)], summary.Classes.Select(c => (c.Key, c.Name, c.SampleCount)).ToArray());
        Assert.True(summary.Frames > 10, $"the window rendered {summary.Frames} frames");
        // The screenshot (glReadPixels of the back buffer): the red source frame fills the middle, the overlay's dark
        // panels sit in the corners (the samples panel top-left lists the two classes).
        DecodedImage shot = ImageDecoders.Load(screenshot);
        Assert.Equal((640, 360), (shot.Width, shot.Height));
        (byte r, byte g, byte b) centre = Pixel(shot, 320, 200);
        Assert.True(centre.r > 200 && centre.g < 40 && centre.b < 40, $"preview centre should be the red test pattern; got {centre}");
        (byte r, byte g, byte b) panel = Pixel(shot, 20, 40);
        Assert.True(panel.r < 120 && panel.g < 60, $"top-left should be the dark HUD panel over the red frame; got {panel}");
        Directory.Delete(output, recursive: true);
    }

    private static (byte, byte, byte) Pixel(DecodedImage image, int x, int y)
    {
        ReadOnlySpan<byte> rgba = image.Pixels.Span;
        int i = (y * image.Width + x) * DecodedImage.BytesPerPixel;
        return (rgba[i], rgba[i + 1], rgba[i + 2]);
    }
}

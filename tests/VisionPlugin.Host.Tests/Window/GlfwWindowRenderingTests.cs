using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Host.Window;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests.Window;

[Collection("Xvfb")]
public sealed class GlfwWindowRenderingTests(XvfbFixture xvfb)
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>logits = 10 * mean RGB: a classifier whose answer follows from the pixels.</summary>
    private static Classifier ColorClassifier(GpuContext ctx)
    {
        var model = new Model(ctx, "colors", new TensorShape(3, 16, 16));
        model.Add(new GlobalAvgPoolLayer("pool"));
        model.Add(new FlattenLayer("flatten"));
        var fc = new LinearLayer(ctx, "fc", 3, 3);
        fc.Weight.Value.Upload([10, 0, 0, 0, 10, 0, 0, 0, 10]);
        fc.Bias!.Value.Fill(0f);
        model.Add(fc);
        return Classifier.FromModel(model, Colors);
    }

    [Fact]
    public void The_window_context_runs_compute_and_shows_the_letterboxed_preview_with_the_hud()
    {
        Assert.False(string.IsNullOrEmpty(xvfb.Display));
        using var window = new GlfwWindow(new GlfwWindowOptions { Title = $"vp-render-{Guid.NewGuid():N}", Width = 640, Height = 480, Visible = false, SwapInterval = 0 });
        Assert.Equal((640, 480), (window.FramebufferWidth, window.FramebufferHeight));
        using var runtime = VisionRuntime.Attach(window.GetProcAddress);
        GpuContext ctx = runtime.Context;
        Assert.False(ctx.IsHeadless);
        using var rig = new SceneRig(ctx);
        using var classifier = ColorClassifier(ctx);

        // A wide frame (8:3) in a 4:3 window: bars above and below.
        byte[] frame = TestScenes.Quadrants(320, 120);
        rig.Preview.Upload(frame, 320, 120, 320 * 3);
        PixelRect drawn = rig.Draw(640, 480, null);
        Assert.Equal(new PixelRect(0, 120, 640, 240), drawn);
        RgbImage plain = rig.Read(640, 480);
        ImageAssert.ShowsQuadrants(plain, drawn, "window 640x480");

        // Compute in the same context: the preview texture classifies like the frame itself (channel order, no read-back).
        IReadOnlyList<Prediction> fromTexture = classifier.ClassifyTexture(rig.Preview.TextureId, 320, 120, topK: 3, flipVertically: false);
        IReadOnlyList<Prediction> fromFrame = classifier.Classify(Frame.Packed(frame, 320, 120, PixelFormat.Bgr24), topK: 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(fromFrame[i].Label, fromTexture[i].Label);
            Assert.Equal(fromFrame[i].Probability, fromTexture[i].Probability, 3);
        }

        // The HUD over it: bar colours where the layout put them, ink in the text, preview untouched outside the panels.
        HudState state = TestScenes.Realistic();
        rig.Draw(640, 480, state);
        RgbImage withHud = rig.Read(640, 480);
        PngWriter.Save(TestScenes.OutputPath("window-hud-640x480.png"), withHud);
        OverlayLayout layout = rig.Hud.LastLayout!;
        PixelRect top1 = layout.PredictionBars[0];
        ImageAssert.Near(HudTheme.RankColor(0).ToRgb(), withHud, (int)(top1.X + top1.Width / 2), (int)(top1.Y + top1.Height / 2), 1, "top-1 bar");
        HudItem label = layout.Items.First(i => i.Kind == HudItemKind.Text && i.Text == "mug");
        Assert.True(ImageAssert.BrightPixels(withHud, label.Rect) >= 10, "the top-1 label has ink");
        int outside = 0;
        for (int y = 0; y < 480; y += 7)
            for (int x = 0; x < 640; x += 7)
                if (!layout.Panels.Values.Any(p => p.Overlaps(new PixelRect(x, y, 1, 1))))
                {
                    Assert.Equal(plain[x, y], withHud[x, y]);
                    outside++;
                }
        Assert.True(outside > 500, $"only {outside} sampled pixels lie outside the panels");
        window.SwapBuffers();

        // The same scene rendered headless (EGL, offscreen target) is the same picture.
        using (var headless = new GpuThread(name: "offscreen twin"))
        {
            RgbImage offscreen = headless.Invoke(c =>
            {
                using var target = new OffscreenTarget(c, 640, 480);
                using var twin = new SceneRig(c);
                target.Bind();
                twin.Preview.Upload(frame, 320, 120, 320 * 3);
                twin.Draw(640, 480, state);
                return twin.Read(640, 480);
            });
            int maxDifference = 0;
            for (int i = 0; i < offscreen.Pixels.Length; i++) maxDifference = Math.Max(maxDifference, Math.Abs(offscreen.Pixels[i] - withHud.Pixels[i]));
            Assert.True(maxDifference <= 2, $"window and offscreen renderings differ by up to {maxDifference} levels");
        }
        window.MakeCurrent();

        // Resize to a wide window: the frame is now pillarboxed (bars left and right) at the same aspect ratio.
        int changes = 0;
        window.FramebufferSizeChanged += (_, _) => changes++;
        window.Resize(900, 300);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((window.FramebufferWidth, window.FramebufferHeight) != (900, 300) && clock.ElapsedMilliseconds < 5000)
        {
            window.PollEvents();
            Thread.Sleep(10);
        }
        Assert.Equal((900, 300), (window.FramebufferWidth, window.FramebufferHeight));
        Assert.Equal(1, changes);
        PixelRect resized = rig.Draw(900, 300, null);
        Assert.Equal(new PixelRect(50, 0, 800, 300), resized);   // scale min(900/320, 300/120) = 2.5
        ImageAssert.ShowsQuadrants(rig.Read(900, 300), resized, "window 900x300");
        Assert.Equal(320f / 120f, resized.Width / resized.Height, 3);
    }

    [Fact]
    public void A_realistic_hud_screenshot_at_1280x720()
    {
        using var window = new GlfwWindow(new GlfwWindowOptions { Title = $"vp-shot-{Guid.NewGuid():N}", Width = 1280, Height = 720, Visible = false, SwapInterval = 0 });
        using var runtime = VisionRuntime.Attach(window.GetProcAddress);
        using var rig = new SceneRig(runtime.Context);
        rig.Preview.Upload(TestScenes.DeskScene(640, 480), 640, 480, 640 * 3);
        rig.Draw(1280, 720, TestScenes.Realistic(message: null));
        RgbImage shot = rig.Read(1280, 720);
        string path = TestScenes.OutputPath("window-hud-1280x720.png");
        PngWriter.Save(path, shot);
        Assert.True(new FileInfo(path).Length > 1000);
        Assert.False(rig.Hud.LastLayout!.Panels.ContainsKey(OverlayLayout.MessagePanel));
        Assert.True(rig.Hud.LastLayout.Panels.ContainsKey(OverlayLayout.HelpPanel));

        // The same at 640x480 with a source warning and the transient message.
        window.Resize(640, 480);
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); window.FramebufferHeight != 480 && clock.ElapsedMilliseconds < 5000;) window.PollEvents();
        rig.Draw(640, 480, TestScenes.Realistic(sourceStatus: "Camera lost \u2013 reconnecting in 2 s"));
        PngWriter.Save(TestScenes.OutputPath("window-hud-640x480-warning.png"), rig.Read(640, 480));
        Assert.True(rig.Hud.LastLayout.Panels.ContainsKey(OverlayLayout.WarningPanel));
    }
}

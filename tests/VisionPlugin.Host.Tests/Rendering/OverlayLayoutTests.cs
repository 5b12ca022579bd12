using VisionPlugin.Host.Rendering;

namespace VisionPlugin.Host.Tests.Rendering;

[Collection("HeadlessGl")]
public sealed class OverlayLayoutTests(HeadlessGlFixture gl)
{
    private static HudState Crowded() => TestScenes.Realistic(sourceStatus: "Camera lost \u2013 reconnecting in 2 s") with
    {
        Classes = Enumerable.Range(1, 9).Select(k => new HudClass(k, $"a rather long class name number {k}", k * 7)).ToArray(),
        Predictions =
        [
            new HudPrediction("an extremely long label that cannot possibly fit in the panel", double.NaN), new HudPrediction("keyboard", 1.5),
            new HudPrediction("mug", 0.1), new HudPrediction("cup", 0.05), new HudPrediction("bowl", -0.2),
        ],
    };

    [Theory]
    [InlineData(160, 120)]
    [InlineData(320, 240)]
    [InlineData(640, 480)]
    [InlineData(800, 600)]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    [InlineData(2560, 400)]
    [InlineData(400, 1200)]
    public void Panels_stay_inside_the_target_and_never_overlap(int width, int height)
    {
        gl.Run(ctx =>
        {
            using var hud = new HudView(ctx);
            OverlayLayout layout = OverlayLayout.Compute(Crowded(), width, height, hud.AtlasFor(width, height));
            var screen = new PixelRect(0, 0, width, height);
            foreach ((string a, PixelRect ra) in layout.Panels)
            {
                Assert.True(screen.Contains(ra), $"{a} {ra} leaves the {width}x{height} target");
                foreach ((string b, PixelRect rb) in layout.Panels)
                    if (string.CompareOrdinal(a, b) < 0) Assert.False(ra.Overlaps(rb), $"{width}x{height}: {a} {ra} overlaps {b} {rb}");
            }
            // Every text item lies inside some panel (nothing floats over the preview unframed).
            foreach (HudItem text in layout.Items.Where(i => i.Kind == HudItemKind.Text))
                Assert.True(layout.Panels.Values.Any(p => p.Contains(text.Rect)), $"{width}x{height}: '{text.Text}' {text.Rect} is outside every panel");
            if (height >= 480) Assert.True(layout.Panels.Count >= 6, $"{width}x{height} shows only {string.Join(", ", layout.Panels.Keys)}");
        });
    }

    [Fact]
    public void Long_text_is_ellipsized_bad_probabilities_are_clamped_and_hidden_classes_are_counted()
    {
        gl.Run(ctx =>
        {
            using var hud = new HudView(ctx);
            OverlayLayout layout = OverlayLayout.Compute(Crowded(), 640, 480, hud.AtlasFor(640, 480));
            string[] texts = layout.Items.Where(i => i.Kind == HudItemKind.Text).Select(i => i.Text).ToArray();
            Assert.Contains(texts, t => t.StartsWith("an extremely long", StringComparison.Ordinal) && t.EndsWith("...", StringComparison.Ordinal));
            Assert.Contains("0.0%", texts);     // NaN shows as 0
            Assert.Contains("100.0%", texts);   // 1.5 is clamped
            Assert.Equal(0, layout.PredictionBars[0].Width);
            Assert.Contains(texts, t => t.StartsWith('+') && t.EndsWith(" more", StringComparison.Ordinal));
            Assert.Contains("Camera lost - reconnecting in 2 s", texts);
        });
    }

    [Fact]
    public void Typography_outside_ascii_maps_to_look_alikes()
    {
        Assert.Equal("epoch 3/10 | loss 0.41 - ok... 3x3 'q' \"d\" ?", OverlayLayout.ToAscii("epoch 3/10 \u00B7 loss 0.41 \u2013 ok\u2026 3\u00D73 \u2018q\u2019 \u201Cd\u201D \u00E9"));
    }
}

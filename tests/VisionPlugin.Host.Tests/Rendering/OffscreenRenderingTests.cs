using VisionPlugin.Engine;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests.Rendering;

[Collection("HeadlessGl")]
public sealed class OffscreenRenderingTests(HeadlessGlFixture gl)
{
    [Theory]
    [InlineData(640, 480, 320, 120)]   // wide frame: bars above and below
    [InlineData(640, 480, 120, 240)]   // tall frame: bars left and right
    [InlineData(1280, 720, 640, 480)]  // 4:3 in 16:9
    public void The_preview_is_letterboxed_at_the_frame_aspect_ratio_with_exact_colours(int targetWidth, int targetHeight, int frameWidth, int frameHeight)
    {
        gl.Run(ctx =>
        {
            using var target = new OffscreenTarget(ctx, targetWidth, targetHeight);
            using var rig = new SceneRig(ctx);
            target.Bind();
            rig.Preview.Upload(TestScenes.Quadrants(frameWidth, frameHeight), frameWidth, frameHeight, frameWidth * 3);
            PixelRect drawn = rig.Draw(targetWidth, targetHeight, null);
            RgbImage image = rig.Read(targetWidth, targetHeight);
            target.Unbind();

            float scale = Math.Min((float)targetWidth / frameWidth, (float)targetHeight / frameHeight);
            Assert.Equal(MathF.Round(frameWidth * scale), drawn.Width);
            Assert.Equal(MathF.Round(frameHeight * scale), drawn.Height);
            Assert.Equal((targetWidth - drawn.Width) / 2, drawn.X, 0.5f);
            Assert.Equal((targetHeight - drawn.Height) / 2, drawn.Y, 0.5f);
            ImageAssert.ShowsQuadrants(image, drawn, $"{frameWidth}x{frameHeight} in {targetWidth}x{targetHeight}");
        });
    }

    [Fact]
    public void A_same_size_frame_replaces_the_texture_contents_and_padded_rows_are_honoured()
    {
        gl.Run(ctx =>
        {
            using var target = new OffscreenTarget(ctx, 200, 100);
            using var rig = new SceneRig(ctx);
            target.Bind();
            rig.Preview.Upload(TestScenes.Quadrants(64, 32), 64, 32, 64 * 3);
            uint texture = rig.Preview.TextureId;
            // Second frame, same size, rows padded to 200 bytes, colours swapped red<->blue: must show the new colours.
            rig.Preview.Upload(TestScenes.Quadrants(64, 32, stride: 200, swapped: true), 64, 32, 200);
            PixelRect drawn = rig.Draw(200, 100, null);
            RgbImage image = rig.Read(200, 100);
            target.Unbind();
            Assert.Equal(texture, rig.Preview.TextureId);
            RgbColor topLeft = TestScenes.TopLeft;
            ImageAssert.Near(new RgbColor(topLeft.B, topLeft.G, topLeft.R), image, (int)(drawn.X + drawn.Width / 4), (int)(drawn.Y + drawn.Height / 4), 2, "swapped top-left");
        });
    }

    [Fact]
    public void A_short_frame_buffer_is_refused_with_the_sizes()
    {
        gl.Run(ctx =>
        {
            using var preview = new PreviewRenderer(ctx);
            var e = Assert.Throws<ArgumentException>(() => preview.Upload(new byte[100], 10, 10, 30));
            Assert.Contains("10x10", e.Message);
            Assert.Contains("300", e.Message);
        });
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(1280, 720)]
    public void The_hud_shows_bars_in_rank_colours_and_text_without_overlapping_panels(int width, int height)
    {
        gl.Run(ctx =>
        {
            using var target = new OffscreenTarget(ctx, width, height);
            using var rig = new SceneRig(ctx);
            target.Bind();
            rig.Preview.Upload(TestScenes.Quadrants(320, 240), 320, 240, 320 * 3);
            HudState state = TestScenes.Realistic(sourceStatus: "Camera lost \u2013 reconnecting in 2 s");
            rig.Draw(width, height, state);
            RgbImage image = rig.Read(width, height);
            target.Unbind();
            PngWriter.Save(TestScenes.OutputPath($"offscreen-hud-{width}x{height}.png"), image);

            OverlayLayout layout = rig.Hud.LastLayout!;
            string[] expectedPanels = [OverlayLayout.WarningPanel, OverlayLayout.PredictionsPanel, OverlayLayout.StatsPanel, OverlayLayout.ClassesPanel,
                OverlayLayout.HelpPanel, OverlayLayout.TrainingPanel, OverlayLayout.MessagePanel];
            Assert.All(expectedPanels, name => Assert.True(layout.Panels.ContainsKey(name), $"panel {name} missing at {width}x{height}"));
            var screen = new PixelRect(0, 0, width, height);
            foreach ((string a, PixelRect ra) in layout.Panels)
            {
                Assert.True(screen.Contains(ra), $"{a} {ra} leaves the {width}x{height} target");
                foreach ((string b, PixelRect rb) in layout.Panels)
                    if (string.CompareOrdinal(a, b) < 0) Assert.False(ra.Overlaps(rb), $"{a} {ra} overlaps {b} {rb}");
            }
            // Bars: opaque, in the rank colour, as long as the probability says.
            Assert.Equal(5, layout.PredictionBars.Count);
            for (int rank = 0; rank < 2; rank++)
            {
                PixelRect bar = layout.PredictionBars[rank];
                ImageAssert.Near(HudTheme.RankColor(rank).ToRgb(), image, (int)(bar.X + bar.Width / 2), (int)(bar.Y + bar.Height / 2), 1, $"rank {rank} bar");
            }
            Assert.True(layout.PredictionBars[0].Width > 4 * layout.PredictionBars[1].Width, "the 72% bar is more than 4x the 14% bar");
            // Text: every text item has ink; the warning banner is amber.
            foreach (HudItem item in layout.Items.Where(i => i.Kind == HudItemKind.Text && i.Color == HudTheme.Text))
                Assert.True(ImageAssert.BrightPixels(image, item.Rect) > item.Text.Count(char.IsLetterOrDigit), $"text '{item.Text}' at {item.Rect} has too little ink");
            PixelRect warning = layout.Panels[OverlayLayout.WarningPanel];
            ImageAssert.Near(new RgbColor(255, 184, 0), image, (int)warning.X + 2, (int)warning.Y + 2, 12, "warning banner");
            int lineHeight = HudTheme.LineHeightFor(width, height);
            Assert.InRange(lineHeight, 17, 27);
        });
    }

    [Fact]
    public void Glyphs_render_the_bitmap_font_exactly_at_one_font_pixel_per_pixel()
    {
        var rasterizer = new BitmapFontRasterizer(lineHeight: 12);   // s = 1: coverage is 0 or 255, the font's own pixels
        GlyphBitmap a = rasterizer.Rasterize('A');
        Assert.Equal((VisionPlugin.Visualization.BitmapFont.GlyphWidth, VisionPlugin.Visualization.BitmapFont.GlyphHeight), (a.Width, a.Height));
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                Assert.Equal(VisionPlugin.Visualization.BitmapFont.IsInk('A', x, y) ? 255 : 0, a.Alpha[y * a.Width + x]);
        Assert.Equal(VisionPlugin.Visualization.BitmapFont.CapHeight, a.BearingY);
        var smooth = new BitmapFontRasterizer(lineHeight: 20).Rasterize('O');
        Assert.Contains(smooth.Alpha, v => v is > 0 and < 255);   // fractional scale: anti-aliased edges
    }

    [Fact]
    public void An_offscreen_target_resizes_and_keeps_rendering()
    {
        gl.Run(ctx =>
        {
            using var target = new OffscreenTarget(ctx, 64, 64);
            using var rig = new SceneRig(ctx);
            rig.Preview.Upload(TestScenes.Quadrants(40, 40), 40, 40, 120);
            target.Resize(300, 100);
            Assert.Equal((300, 100), (target.Width, target.Height));
            target.Bind();
            PixelRect drawn = rig.Draw(300, 100, null);
            RgbImage image = rig.Read(300, 100);
            target.Unbind();
            Assert.Equal(new PixelRect(100, 0, 100, 100), drawn);
            ImageAssert.ShowsQuadrants(image, drawn, "resized target");
            Assert.Throws<ArgumentOutOfRangeException>(() => target.Resize(0, 10));
        });
    }

    [Theory]
    [InlineData(640, 480)]   // drawn 1:1 (nearest sampling)
    [InlineData(320, 240)]   // scaled 2x (bilinear)
    public void Offscreen_frame_cost_at_640x480(int frameWidth, int frameHeight)
    {
        gl.Run(ctx =>
        {
            using var target = new OffscreenTarget(ctx, 640, 480);
            using var rig = new SceneRig(ctx);
            byte[] frame = TestScenes.Quadrants(frameWidth, frameHeight);
            HudState state = TestScenes.Realistic();
            target.Bind();
            var area = new PixelRect(0, 0, 640, 480);
            double upload = 0, preview = 0, hud = 0;
            const int warmup = 5, frames = 50;
            for (int i = 0; i < warmup + frames; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                rig.Preview.Upload(frame, frameWidth, frameHeight, frameWidth * 3);
                ctx.Finish();
                double t1 = clock.Elapsed.TotalMilliseconds;
                rig.Preview.Draw(640, 480, area, HudTheme.LetterboxBars);
                ctx.Finish();
                double t2 = clock.Elapsed.TotalMilliseconds;
                rig.Hud.Draw(state, 640, 480);
                ctx.Finish();
                double t3 = clock.Elapsed.TotalMilliseconds;
                if (i < warmup) continue;
                upload += t1; preview += t2 - t1; hud += t3 - t2;
            }
            target.Unbind();
            int quads = rig.Hud.LastLayout!.Items.Sum(i => i.Kind == HudItemKind.Text ? i.Text.Count(c => c != ' ') : 1);
            double total = (upload + preview + hud) / frames;
            Console.WriteLine($"[render] {frameWidth}x{frameHeight} frame in 640x480 on {ctx.Device.Renderer}, glFinish after each step, mean of {frames} frames: " +
                $"upload {upload / frames:0.00} ms + preview {preview / frames:0.00} ms + HUD {hud / frames:0.00} ms ({quads} quads, 1 draw) = {total:0.00} ms/frame");
            Assert.True(total < 200, $"{total:0.0} ms per frame");
        });
    }
}

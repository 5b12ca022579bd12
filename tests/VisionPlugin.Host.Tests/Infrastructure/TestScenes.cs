using VisionPlugin.Host.Rendering;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Tests;

/// <summary>Synthetic frames and HUD states shared by the window and offscreen rendering tests.</summary>
internal static class TestScenes
{
    // Quadrant colours (R, G, B): top-left red, top-right green, bottom-left blue, bottom-right yellow-ish.
    public static readonly RgbColor TopLeft = new(220, 30, 40), TopRight = new(20, 200, 60), BottomLeft = new(30, 60, 230), BottomRight = new(240, 210, 20);

    /// <summary>A BGR8 frame in four solid quadrants, rows of <paramref name="stride"/> bytes (padding filled with 0x7F).</summary>
    public static byte[] Quadrants(int width, int height, int? stride = null, bool swapped = false)
    {
        int rowBytes = stride ?? width * 3;
        var bgr = new byte[rowBytes * height];
        Array.Fill(bgr, (byte)0x7F);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                RgbColor c = QuadrantColor(x, y, width, height);
                if (swapped) c = new RgbColor(c.B, c.G, c.R);
                int i = y * rowBytes + x * 3;
                (bgr[i], bgr[i + 1], bgr[i + 2]) = (c.B, c.G, c.R);
            }
        return bgr;
    }

    public static RgbColor QuadrantColor(int x, int y, int width, int height) =>
        (x < width / 2, y < height / 2) switch
        {
            (true, true) => TopLeft,
            (false, true) => TopRight,
            (true, false) => BottomLeft,
            _ => BottomRight,
        };

    /// <summary>
    /// A BGR8 stand-in for a camera picture: a warm wall-to-desk gradient with a bright window, a dark monitor and a
    /// white mug, so screenshots show how the HUD reads over mixed light and dark content.
    /// </summary>
    public static byte[] DeskScene(int width, int height)
    {
        var bgr = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                (double r, double g, double b) = v < 0.62 ? (190 - 60 * v, 170 - 50 * v, 150 - 40 * v) : (120 - 40 * v, 85 - 30 * v, 60 - 20 * v);
                if (u > 0.62 && u < 0.95 && v > 0.08 && v < 0.45) (r, g, b) = (235, 240, 250);                  // window
                if (u > 0.08 && u < 0.5 && v > 0.15 && v < 0.58) (r, g, b) = (25 + 20 * u, 30, 40 + 30 * v);    // monitor
                double dx = (u - 0.66) * width, dy = (v - 0.72) * height, radius = 0.11 * height;
                if (dx * dx / 0.6 + dy * dy < radius * radius) (r, g, b) = (245 - 40 * Math.Max(0, dx / radius), 242, 236);   // mug
                int i = (y * width + x) * 3;
                (bgr[i], bgr[i + 1], bgr[i + 2]) = ((byte)Math.Clamp(b, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(r, 0, 255));
            }
        return bgr;
    }

    /// <summary>A realistic live-session HUD: predictions, statistics, classes, training progress, help on.</summary>
    public static HudState Realistic(bool showHelp = true, string? sourceStatus = null, string? message = "Saved session to sessions/desk.vpsession") => new()
    {
        Predictions =
        [
            new HudPrediction("mug", 0.72), new HudPrediction("keyboard", 0.14), new HudPrediction("computer mouse", 0.07),
            new HudPrediction("notebook", 0.04), new HudPrediction("water bottle", 0.02),
        ],
        FramesPerSecond = 29.7,
        InferenceMilliseconds = 41.3,
        ModelName = "mobilenet_v2 (fine-tuned)",
        SourceName = "camera 0 (640x480)",
        SourceStatus = sourceStatus,
        Training = new HudTraining("Training epoch 3/10 \u00B7 loss 0.41 \u00B7 val 82%", 0.3),
        Classes = [new HudClass(1, "mug", 24), new HudClass(2, "keyboard", 18), new HudClass(3, "computer mouse", 9), new HudClass(4, "background", 31)],
        AccuracyLine = "Accuracy vs segment labels: 87% (52/60)",
        ShowHelp = showHelp,
        HelpLines =
        [
            "1-9    add a sample to class",
            "N      new class (type a name)",
            "T      train / pause training",
            "S      save session",
            "H      hide this help",
            "Esc    quit",
        ],
        Message = message,
    };

    /// <summary>Where test PNGs go: &lt;test bin&gt;/test-output/.</summary>
    public static string OutputPath(string fileName)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "test-output");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }
}

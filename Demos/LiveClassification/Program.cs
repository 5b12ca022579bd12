// Live classification of a source with a chosen model, in a window (run under xvfb-run without a display).
//   dotnet run --project Demos/LiveClassification -- --model <.onnx | checkpoint | session folder> [--source 0|file|url|pipeline] [--frames N]
// The camera thread hands the newest frame over; the network runs in slices of ~15 ms per rendered frame,
// so the preview keeps its frame rate while a large model classifies.
using VisionPlugin;
using VisionPlugin.Classification;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Host.Window;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
string model = Arg("--model") ?? throw new ArgumentException("Usage: --model <.onnx | checkpoint | session folder> [--source S] [--frames N]");
string source = Arg("--source") ?? "0";
int frames = int.Parse(Arg("--frames") ?? "-1");

using var window = new GlfwWindow(new GlfwWindowOptions { Title = $"Live classification — {Path.GetFileName(model)}", Width = 960, Height = 540 });
using var runtime = VisionRuntime.Attach(window.GetProcAddress);      // the plugin joins the window's GL context
using var classifier = ClassifierFiles.Load(runtime, model);
using var sliced = new TimeSlicedClassifier(classifier);
using var preview = new PreviewRenderer(runtime.Context);
using var hud = new HudView(runtime.Context);
using var capture = new CaptureWorker(SourceSpec.Parse(source), new CaptureOptions { Paced = true, Loop = true });
IReadOnlyList<Prediction> top = [];
var clock = System.Diagnostics.Stopwatch.StartNew();
for (int frame = 0; frame != frames && !window.ShouldClose; frame++)
{
    window.PollEvents();
    if (capture.Frames.TryTake(out CapturedFrame? next) && next is not null)
        using (next) preview.Upload(next.Pixels.Span, next.Width, next.Height, next.Stride);
    if (!sliced.IsBusy && preview.HasFrame) sliced.BeginTexture(preview.TextureId, preview.FrameWidth, preview.FrameHeight, topK: 3, flipVertically: false);
    if (sliced.IsBusy && sliced.Step(TimeSpan.FromMilliseconds(15)) is { } result) top = result;
    preview.Draw(window.FramebufferWidth, window.FramebufferHeight, new PixelRect(0, 0, window.FramebufferWidth, window.FramebufferHeight), HudTheme.LetterboxBars);
    hud.Draw(new HudState
    {
        Predictions = [.. top.Select(p => new HudPrediction(p.Label, p.Probability))],
        InferenceMilliseconds = sliced.LastLatency.TotalMilliseconds,
        FramesPerSecond = frame / Math.Max(1e-3, clock.Elapsed.TotalSeconds),
        ModelName = Path.GetFileName(model), SourceName = source,
        SourceStatus = capture.Status.State is CaptureState.Running or CaptureState.Opening ? null : capture.Status.Message,
    }, window.FramebufferWidth, window.FramebufferHeight);
    window.SwapBuffers();
}
Console.WriteLine($"top: {string.Join(", ", top)}; {capture.Status}");

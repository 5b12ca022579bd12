// A GL application that owns its window, its context and its rendering, and embeds the plugin through its
// loader. It renders an animated scene into its own texture every frame; the plugin (attached to the same
// context with one line) learns the three scenes from a few rendered frames, then classifies the texture the
// app just rendered — on the GPU, no pixel copy — and the app draws the answer in its own UI.
//   dotnet run --project Demos/EmbeddedGlApp -- [--classifications N]      (under xvfb-run without a display)
using System.Diagnostics;
using VisionPlugin;
using VisionPlugin.Classification;
using VisionPlugin.Demos;
using VisionPlugin.Engine.Binding;
using VisionPlugin.FineTuning;
using VisionPlugin.Host.Rendering;
using VisionPlugin.Host.Window;

int stopAfter = int.Parse(args.SkipWhile(a => a != "--classifications").Skip(1).FirstOrDefault() ?? "-1"); // -1: until closed
using var window = new GlfwWindow(new GlfwWindowOptions { Title = "A GL app embedding VisionPlugin", Width = 800, Height = 600 });
var gl = new GL(window.GetProcAddress);                        // the app's own GL function table (Silk.NET's GL in a real app)
using var scene = new SceneRenderer(gl, 256, 256);

using var runtime = VisionRuntime.Attach(window.GetProcAddress); // <- the one line that embeds the plugin

// Teach the plugin the app's scenes: 10 rendered frames each, at different animation times.
using var session = FineTuneSession.Create(runtime, SceneRenderer.SceneNames, new FineTuneOptions { Epochs = 12, ValidationSplit = 0 });
for (int s = 0; s < SceneRenderer.SceneNames.Length; s++)
    for (int i = 0; i < 10; i++)
    {
        scene.Render(s, i * 0.9f);
        session.AddSample(Frame.Packed(scene.ReadRgba(), scene.Width, scene.Height, VisionPlugin.Engine.Imaging.PixelFormat.Rgba32), s);
    }
using var hud = new HudView(runtime.Context);
Classifier? classifier = null;
TimeSlicedClassifier? sliced = null;
IReadOnlyList<Prediction> top = [];
int shown = 0, correct = 0, scored = 0, scoredScene = -1;
var clock = Stopwatch.StartNew();
for (int frame = 0; scored != stopAfter && !window.ShouldClose; frame++)
{
    window.PollEvents();
    float time = (float)clock.Elapsed.TotalSeconds;
    shown = frame / 45 % SceneRenderer.SceneNames.Length;      // the app switches scenes every 45 frames
    scene.Render(shown, 10 + time);                            // unseen animation times
    if (!session.IsFinished) session.Step(TimeSpan.FromMilliseconds(15)); // learning, in slices: the app keeps rendering
    else if (sliced is null) sliced = new TimeSlicedClassifier(classifier = session.ToClassifier());
    if (sliced is { IsBusy: false }) { sliced.BeginTexture(scene.Texture, scene.Width, scene.Height, topK: 3); scoredScene = shown; }
    if (sliced is { IsBusy: true } && sliced.Step(TimeSpan.FromMilliseconds(15)) is { } result)
    {
        top = result;
        scored++;
        if (result[0].ClassIndex == scoredScene) correct++;
    }
    // The app's own UI: its scene in the window, and the plugin's answer in a panel.
    gl.BindFramebuffer(GL.FRAMEBUFFER, 0);
    gl.Viewport(0, 0, window.FramebufferWidth, window.FramebufferHeight);
    gl.ClearColor(0.1f, 0.1f, 0.12f, 1f);
    gl.Clear(GL.COLOR_BUFFER_BIT);
    int side = Math.Min(window.FramebufferWidth, window.FramebufferHeight) * 4 / 5;
    scene.RenderToWindow(shown, 10 + time, (window.FramebufferWidth - side) / 2, (window.FramebufferHeight - side) / 2, side, side);
    hud.Draw(new HudState
    {
        Predictions = [.. top.Select(p => new HudPrediction(p.Label, p.Probability))],
        ModelName = "MobileNetV2 + scene head", SourceName = $"app scene: {SceneRenderer.SceneNames[shown]}",
        Training = session.IsFinished ? null : new HudTraining($"Learning the app's scenes: {session.Progress.Phase} epoch {session.Progress.Epoch}/{session.Progress.Epochs}",
            session.Progress.Epochs == 0 ? 0 : session.Progress.Epoch / (double)session.Progress.Epochs),
        AccuracyLine = scored > 0 ? $"correct {correct}/{scored}" : null,
    }, window.FramebufferWidth, window.FramebufferHeight);
    window.SwapBuffers();
}
Console.WriteLine($"embedded demo: {scored} classifications of the app's texture, {correct} correct ({(scored == 0 ? 0 : correct / (double)scored):P0}); last: {string.Join(", ", top)}");
sliced?.Dispose();
classifier?.Dispose();

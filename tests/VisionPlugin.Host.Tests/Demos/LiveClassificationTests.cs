namespace VisionPlugin.Host.Tests.Demos;

/// <summary>The live-classification demo under Xvfb: a chosen model file on a GStreamer test source, in its window.</summary>
[Collection("Xvfb")]
public sealed class LiveClassificationTests(XvfbFixture xvfb)
{
    [Fact]
    public async Task TheDemoClassifiesTheSourceWithTheChosenModelInItsWindow()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vp-demo-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, "tiny.onnx");
        var export = await ChildProcess.RunDotnetAsync(DemoPaths.Host, ["export", "--arch", "lenet5", "--classes", "3", "--out", model], TimeSpan.FromMinutes(2));
        Assert.True(export.ExitCode == 0, export.Stderr);
        File.WriteAllLines(model + ".labels.txt", ["bars", "ball", "snow"]);
        var (code, output, errors) = await ChildProcess.RunDotnetAsync(DemoPaths.Demo("LiveClassification"),
            ["--model", model, "--source", "videotestsrc pattern=ball ! video/x-raw,width=160,height=120,framerate=30/1 ! videoconvert ! appsink", "--frames", "90"],
            TimeSpan.FromMinutes(3), environment: new Dictionary<string, string?> { ["DISPLAY"] = xvfb.Display });
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        string top = output.Split('\n').First(l => l.StartsWith("top: "));
        Assert.Matches(@"^top: (bars|ball|snow) \d", top);                       // the model's labels, with probabilities
        Assert.Contains("GStreamer", top);                                          // the source status line
        Directory.Delete(folder, recursive: true);
    }
}

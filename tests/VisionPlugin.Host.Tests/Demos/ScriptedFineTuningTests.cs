using System.Text.RegularExpressions;

namespace VisionPlugin.Host.Tests.Demos;

/// <summary>The scripted fine-tuning demo on the sample video: six labelled scenes, samples from each segment's first part, accuracy on later frames.</summary>
public sealed partial class ScriptedFineTuningTests
{
    [Fact]
    public async Task TheSampleVideoSessionLearnsTheSixScenesAndScoresLaterFrames()
    {
        var (code, output, errors) = await ChildProcess.RunDotnetAsync(DemoPaths.Demo("ScriptedFineTuning"), ["sample", "--epochs", "20"], TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        Assert.Contains("classes: mountain (13 samples), dogs (13 samples), paintbrushes (13 samples), fig (13 samples), stream (13 samples), dandelions (13 samples)", output);
        Match accuracy = Accuracy().Match(output);
        Assert.True(accuracy.Success, output);
        int correct = int.Parse(accuracy.Groups[1].Value), total = int.Parse(accuracy.Groups[2].Value);
        Assert.Equal(78, total);
        // Chance is 1/6; five of the six scenes are recognised on nearly every later frame (measured 82-85 %).
        Assert.True(correct >= 55, $"{correct}/{total} later frames right\n{output}");
    }

    [GeneratedRegex(@"accuracy on \d+ later frames of the segments: (\d+)/(\d+)")]
    private static partial Regex Accuracy();
}

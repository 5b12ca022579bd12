using System.Text.RegularExpressions;

namespace VisionPlugin.Host.Tests.Demos;

/// <summary>
/// The embedding demo as a user runs it under Xvfb: an app that owns its window and scene attaches the plugin through its
/// loader, teaches it its three scenes and classifies the texture it renders each frame.
/// </summary>
[Collection("Xvfb")]
public sealed partial class EmbeddedGlAppTests(XvfbFixture xvfb)
{
    [Fact]
    public async Task TheAppLearnsItsScenesAndClassifiesItsOwnTextureCorrectly()
    {
        string dll = DemoPaths.Demo("EmbeddedGlApp");
        var (code, output, errors) = await ChildProcess.RunDotnetAsync(dll, ["--classifications", "24"], TimeSpan.FromMinutes(4),
            environment: new Dictionary<string, string?> { ["DISPLAY"] = xvfb.Display });
        Assert.True(code == 0, $"exit {code}\n{output}\n{errors}");
        Match result = Summary().Match(output);
        Assert.True(result.Success, output);
        int scored = int.Parse(result.Groups[1].Value), correct = int.Parse(result.Groups[2].Value);
        Assert.Equal(24, scored);
        Assert.True(correct >= 20, $"the app's scenes are clearly different; {correct}/{scored} correct\n{output}");
    }

    [GeneratedRegex(@"embedded demo: (\d+) classifications of the app's texture, (\d+) correct")]
    private static partial Regex Summary();
}

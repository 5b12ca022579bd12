using System.Diagnostics;
using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// Makes sure the model cache holds the pretrained <c>mobilenet_v2</c> before a test imports it: when it is missing or
/// damaged, runs the same <c>scripts/fetch-models.sh</c> that <c>scripts/setup.sh</c> runs (once per test run), and
/// fails with a message saying to run scripts/setup.sh when that does not help (no npm, no network).
/// </summary>
public static class PretrainedModelFixture
{
    private static readonly Lazy<string?> FetchProblem = new(Fetch);

    /// <summary>Returns once the model cache holds a verified mobilenet_v2; throws with instructions otherwise.</summary>
    public static void EnsureMobileNetV2()
    {
        if (IsCached()) return;
        string? problem = FetchProblem.Value;
        if (IsCached()) return;
        throw new InvalidOperationException(
            $"The pretrained mobilenet_v2 is not in the model cache ({PretrainedZoo.ModelDirectory("mobilenet_v2")}) and " +
            $"scripts/fetch-models.sh could not fetch it: {problem}. Run scripts/setup.sh (it needs npm and the npm registry).");
    }

    private static bool IsCached()
    {
        try
        {
            PretrainedZoo.Verify("mobilenet_v2");
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return false;
        }
    }

    private static string? Fetch()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "fetch-models.sh"));
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5))) return "fetch-models.sh did not finish within 5 minutes";
            return process.ExitCode == 0 ? null : $"fetch-models.sh exited {process.ExitCode}: {stderr.Result.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return $"could not run fetch-models.sh ({e.Message})";
        }
    }
}

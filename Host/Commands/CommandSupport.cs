using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Commands;

/// <summary>Shared pieces of the commands: the --json option, result printing and error reporting.</summary>
internal static class CommandSupport
{
    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as one JSON object on the last stdout line." };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    /// <summary>Prints <paramref name="result"/> as one compact JSON line.</summary>
    public static void PrintJson(JsonObject result) => Console.Out.WriteLine(result.ToJsonString(Indented));

    /// <summary>
    /// Runs a command body; known failures (bad arguments, GPU errors, missing files) become one
    /// clear line on stderr and exit code 1 (2 for usage errors) instead of a stack trace.
    /// </summary>
    public static int Guard(string command, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"visionplugin {command}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is GpuException or IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            Console.Error.WriteLine($"visionplugin {command}: {e.Message}");
            return 1;
        }
    }
}

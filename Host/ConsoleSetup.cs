using Spectre.Console;

namespace VisionPlugin.Host;

/// <summary>
/// Makes Spectre.Console output readable when stdout is a pipe or a file (CI logs, <c>--json</c>
/// consumers): no ANSI escapes, no live progress redraws, and a wide layout so tables do not wrap.
/// </summary>
internal static class ConsoleSetup
{
    public static void Configure()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        AnsiConsole.Profile.Width = 160;
    }
}

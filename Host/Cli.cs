using System.CommandLine;
using VisionPlugin.Host.Commands;

namespace VisionPlugin.Host;

/// <summary>
/// The <c>./visionplugin</c> command line. Every command has <c>--help</c>; commands that report
/// results take <c>--json</c> and then print one JSON object as the last stdout line. Errors go
/// to stderr with a non-zero exit code.
/// </summary>
public static class Cli
{
    public static int Run(string[] args)
    {
        ConsoleSetup.Configure();
        var root = new RootCommand("VisionPlugin: image classification and on-device fine-tuning on any OpenGL 4.3+ GPU.")
        {
            RunCommand.Create(),
            SelfTestCommand.Create(),
            InfoCommand.Create(),
            BenchCommand.Create(),
            GradCheckCommand.Create(),
            TrainCommand.Create(),
            ExportCommand.Create(),
            DatasetCommand.Create(),
            FineTuneCommand.Create(),
            ClassifyCommand.Create(),
            EvaluateCommand.Create(),
            VisualizeCommand.Create(),
            AugmentPreviewCommand.Create(),
            OnnxRunCommand.Create(),
            OnnxGradCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}

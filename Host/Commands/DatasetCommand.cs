using System.CommandLine;
using System.Text.Json.Nodes;
using VisionPlugin.Host.Datasets;

namespace VisionPlugin.Host.Commands;

/// <summary><c>dataset tuxpaint</c>: builds the 8-class Tux Paint stamps image folder (see <see cref="TuxPaintDataset"/>).</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var output = new Option<string>("--out") { Description = "Output folder; one subfolder per class.", DefaultValueFactory = _ => TuxPaintDataset.DefaultOutputFolder };
        var stamps = new Option<string?>("--stamps")
        {
            Description = $"Tux Paint stamps folder to read instead of {TuxPaintDataset.DefaultStampsFolder} (then nothing is installed).",
        };
        var tuxpaint = new Command("tuxpaint",
            $"Build the 8-class Tux Paint image set (mammal, bird, fish, insect, fruit, vegetable, flower, vehicle: 258 PNGs) from Debian's " +
            $"{TuxPaintDataset.Package}, installing the package (160 MB download) when it is missing. Idempotent.")
        {
            json, output, stamps,
        };
        tuxpaint.SetAction(parse => CommandSupport.Guard("dataset tuxpaint", () =>
            RunTuxPaint(parse.GetValue(output)!, parse.GetValue(stamps), parse.GetValue(json))));
        return new Command("dataset", "Build image-folder data sets (one subfolder per class) for fine-tuning.") { tuxpaint };
    }

    private static int RunTuxPaint(string outputFolder, string? stampsFolder, bool json)
    {
        bool installedNow = false;
        if (stampsFolder is null)
        {
            installedNow = AptPackage.EnsureInstalled(TuxPaintDataset.Package, "160 MB download, 218 MB installed", Console.Error);
            stampsFolder = TuxPaintDataset.DefaultStampsFolder;
        }
        TuxPaintBuildResult result = TuxPaintDataset.Build(stampsFolder, outputFolder);

        Console.WriteLine($"Tux Paint data set in {result.OutputFolder} ({result.Total} images, {result.Classes.Count} classes):");
        foreach (var (className, count) in result.Classes) Console.WriteLine($"  {className,-10} {count,4}");
        Console.WriteLine($"copied {result.Copied}, unchanged {result.Unchanged}, removed {result.Removed}, skipped {result.Skipped.Count}");
        foreach (var skip in result.Skipped) Console.WriteLine($"  skipped {skip.Path}: {skip.Reason}");
        if (json)
        {
            var classes = new JsonObject();
            foreach (var (className, count) in result.Classes) classes[className] = count;
            CommandSupport.PrintJson(new JsonObject
            {
                ["out"] = result.OutputFolder, ["stamps"] = result.StampsFolder, ["package"] = TuxPaintDataset.Package, ["installed_now"] = installedNow,
                ["classes"] = classes, ["total"] = result.Total, ["copied"] = result.Copied, ["unchanged"] = result.Unchanged, ["removed"] = result.Removed,
                ["skipped"] = new JsonArray([.. result.Skipped.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["reason"] = s.Reason })]),
            });
        }
        return 0;
    }
}

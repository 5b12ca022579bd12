using System.CommandLine;
using System.Text.Json.Nodes;
using VisionPlugin.Augmentation;
using VisionPlugin.Engine;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.Commands;

/// <summary>
/// <c>augment-preview</c>: runs an augmentation pipeline on the GPU over copies of one picture (a PNG or BMP, or the
/// built-in test pattern) and writes the input plus the augmented samples as a PNG grid.
/// </summary>
internal static class AugmentPreviewCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var image = new Option<string?>("--image") { Description = "A PNG or BMP picture (default: a built-in test pattern with an alpha mask)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Pipeline seed." };
        var step = new Option<long>("--step") { DefaultValueFactory = _ => 0, Description = "Pipeline step whose random draws are shown." };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 16, Description = "Augmented samples (1..256)." };
        var size = new Option<int>("--size") { DefaultValueFactory = _ => 160, Description = "Tile size in pixels (the pipeline's output size, 16..1024)." };
        var output = new Option<string>("--out") { DefaultValueFactory = _ => "augment-preview.png", Description = "Where to write the PNG grid." };
        var pipeline = new Option<string>("--pipeline") { DefaultValueFactory = _ => "default", Description = "default (crop, flip, colour jitter), strong (everything), composite (cut-out onto random backgrounds)." };
        pipeline.AcceptOnlyFromAmong([.. AugmentationPreview.PresetNames]);
        var command = new Command("augment-preview", "Write a PNG grid of GPU-augmented copies of an image.")
        {
            json, image, seed, step, count, size, output, pipeline,
        };
        command.SetAction(parse => CommandSupport.Guard("augment-preview", () =>
        {
            string? imagePath = parse.GetValue(image);
            if (imagePath is not null && !File.Exists(imagePath)) throw new FileNotFoundException($"No image at {imagePath}.", imagePath);
            string outPath = parse.GetValue(output)!;
            using var context = GpuContext.CreateHeadless();
            var started = System.Diagnostics.Stopwatch.StartNew();
            RgbImage grid = AugmentationPreview.RenderPreset(context, parse.GetValue(pipeline)!, imagePath,
                parse.GetValue(seed), parse.GetValue(count), parse.GetValue(size), parse.GetValue(step));
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (folder is not null) Directory.CreateDirectory(folder);
            PngWriter.Save(outPath, grid);
            Console.WriteLine($"wrote {outPath} ({grid.Width}x{grid.Height}, {parse.GetValue(count)} samples, {started.ElapsedMilliseconds} ms)");
            if (parse.GetValue(json))
            {
                CommandSupport.PrintJson(new JsonObject
                {
                    ["out"] = outPath, ["width"] = grid.Width, ["height"] = grid.Height, ["pipeline"] = parse.GetValue(pipeline),
                    ["seed"] = parse.GetValue(seed), ["step"] = parse.GetValue(step), ["count"] = parse.GetValue(count),
                    ["image"] = imagePath, ["milliseconds"] = started.ElapsedMilliseconds,
                });
            }
            return 0;
        }));
        return command;
    }
}

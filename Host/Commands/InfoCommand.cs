using System.CommandLine;
using System.Text.Json.Nodes;
using VisionPlugin.Engine;

namespace VisionPlugin.Host.Commands;

/// <summary><c>info</c>: the GL driver, its version and the compute limits the engine sees.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var json = CommandSupport.JsonOption();
        var command = new Command("info", "Show the OpenGL renderer, version and compute limits (headless context).") { json };
        command.SetAction(parse => CommandSupport.Guard("info", () =>
        {
            using var context = GpuContext.CreateHeadless();
            GpuDeviceInfo d = context.Device;
            Console.WriteLine($"renderer:            {d.Renderer}");
            Console.WriteLine($"vendor:              {d.Vendor}");
            Console.WriteLine($"OpenGL:              {d.Version}");
            Console.WriteLine($"GLSL:                {d.ShadingLanguageVersion}");
            Console.WriteLine($"work-group limit:    {d.MaxWorkGroupInvocations} invocations");
            Console.WriteLine($"shared memory:       {d.MaxSharedMemoryBytes / 1024} KiB");
            Console.WriteLine($"storage block limit: {d.MaxStorageBlockBytes / (1024 * 1024)} MiB");
            Console.WriteLine($"program cache:       {context.Programs.Directory ?? "(disabled)"}");
            if (parse.GetValue(json))
            {
                CommandSupport.PrintJson(new JsonObject
                {
                    ["renderer"] = d.Renderer, ["vendor"] = d.Vendor, ["gl_version"] = d.Version,
                    ["glsl_version"] = d.ShadingLanguageVersion, ["max_work_group_invocations"] = d.MaxWorkGroupInvocations,
                    ["max_shared_memory_bytes"] = d.MaxSharedMemoryBytes, ["max_storage_block_bytes"] = d.MaxStorageBlockBytes,
                    ["software_renderer"] = d.IsSoftwareRenderer,
                });
            }
            return 0;
        }));
        return command;
    }
}

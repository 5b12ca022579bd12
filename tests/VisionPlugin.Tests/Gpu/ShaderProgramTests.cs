using VisionPlugin.Engine;
using VisionPlugin.Shaders;

namespace VisionPlugin.Tests.Gpu;

[Collection("Gpu")]
public sealed class ShaderProgramTests(GpuFixture gpu)
{
    /// <summary>Shaders that are only valid as variants: one representative define set each.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> RequiredVariants = new()
    {
        ["activation_forward.comp"] = new() { ["ACTIVATION_RELU"] = "1" },
        ["activation_backward.comp"] = new() { ["ACTIVATION_RELU"] = "1" },
    };

    [Fact]
    public void Every_embedded_compute_shader_compiles_and_links()
    {
        gpu.Run(ctx =>
        {
            foreach (string name in ShaderSources.Names.Where(n => n.EndsWith(".comp")))
            {
                ComputeProgram program = ctx.Programs.Get(name, RequiredVariants.GetValueOrDefault(name));
                Assert.True(program.LocalSize.X >= 1, name);
            }
        });
    }

    [Fact]
    public void Syntax_error_raises_gpu_exception_with_shader_name_file_line_and_defines()
    {
        const string source = """
            #version 430
            layout(local_size_x = 1) in;
            layout(std430, binding = 0) buffer B { float v[]; };
            void main() {
                v[0] = 1.0
            }
            """;
        var defines = new Dictionary<string, string> { ["VARIANT"] = "7" };
        var e = gpu.Run(ctx => Assert.Throws<GpuException>(() => ctx.Programs.Compile("broken.comp", source, defines)));
        Assert.Equal("broken.comp", e.ShaderName);
        Assert.Equal("broken.comp", e.File);
        // The missing ';' is reported on line 5 or where the parser notices it (line 6).
        Assert.InRange(e.Line ?? 0, 5, 6);
        Assert.Contains("VARIANT=7", e.Message);
        Assert.Contains("broken.comp:", e.InfoLog);
        Assert.Equal("7", e.Defines!["VARIANT"]);
    }

    [Fact]
    public void Error_after_an_include_is_reported_at_the_including_files_own_line()
    {
        const string source = """
            #version 430
            layout(local_size_x = 64) in;
            #include "common.glsl"
            layout(std430, binding = 0) buffer B { float v[]; };
            void main() {
                v[linear_index()] = undefined_name;
            }
            """;
        var e = gpu.Run(ctx => Assert.Throws<GpuException>(() => ctx.Programs.Compile("uses_include.comp", source)));
        Assert.Equal("uses_include.comp", e.File);
        Assert.Equal(6, e.Line);
        Assert.Contains("undefined_name", e.Message);
    }

    [Fact]
    public void Error_inside_an_included_file_names_that_file()
    {
        // The include sees a define the caller sets to something that does not compile there.
        const string source = """
            #version 430
            #define pcg_hash 42
            layout(local_size_x = 64) in;
            #include "common.glsl"
            void main() { }
            """;
        var e = gpu.Run(ctx => Assert.Throws<GpuException>(() => ctx.Programs.Compile("bad_macro.comp", source)));
        Assert.Equal("common.glsl", e.File);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void Missing_include_names_the_file_and_line()
    {
        const string source = "#version 430\nlayout(local_size_x = 1) in;\n#include \"nowhere.glsl\"\nvoid main() {}\n";
        var e = gpu.Run(ctx => Assert.Throws<GpuException>(() => ctx.Programs.Compile("lost.comp", source)));
        Assert.Contains("nowhere.glsl", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Defines_select_program_variants_and_each_variant_is_cached_once()
    {
        const string source = """
            #version 430
            layout(local_size_x = 1) in;
            layout(std430, binding = 0) buffer B { float v[]; };
            void main() { v[0] = float(VALUE); }
            """;
        gpu.Run(ctx =>
        {
            using var buffer = new GpuBuffer(ctx, 1);
            foreach (int value in new[] { 3, 11 })
            {
                var defines = new Dictionary<string, string> { ["VALUE"] = value.ToString() };
                ComputeProgram first = ctx.Programs.GetFromSource("variant.comp", source, defines);
                Assert.Same(first, ctx.Programs.GetFromSource("variant.comp", source, defines));
                first.Bind(0, buffer).Dispatch(1);
                var result = new float[1];
                buffer.Download<float>(result);
                Assert.Equal(value, result[0]);
            }
        });
    }
}

using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Tests.Gpu;

/// <summary>
/// The on-disk program cache: a second context (as a second process would) loads binaries instead
/// of compiling, a changed source or driver string misses, and a corrupt file falls back to compiling.
/// Each test attaches fresh contexts to the fixture's EGL context with its own cache folder.
/// </summary>
[Collection("Gpu")]
public sealed class ProgramBinaryCacheTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "visionplugin-cache-test-" + Guid.NewGuid().ToString("N"));

    private const string Doubler = """
        #version 430
        layout(local_size_x = 64) in;
        #include "common.glsl"
        layout(std430, binding = 0) buffer B { float v[]; };
        uniform int count;
        void main() { uint i = linear_index(); if (i < uint(count)) v[i] = 2.0 * v[i] + OFFSET; }
        """;

    private static readonly Dictionary<string, string> Offset1 = new() { ["OFFSET"] = "1.0" };

    private GpuContext Attach() => GpuContext.Attach(Egl.GetProcAddress, new GpuContextOptions { ProgramBinaryCacheDirectory = _folder });

    private static float[] RunDoubler(GpuContext context, string source)
    {
        using var buffer = new GpuBuffer(context, 3);
        buffer.Upload<float>([1, 2, 3]);
        context.Programs.GetFromSource("doubler.comp", source, Offset1).Set("count", 3).Bind(0, buffer).DispatchLinear(3);
        var result = new float[3];
        buffer.Download<float>(result);
        return result;
    }

    [Fact]
    public void Second_context_loads_the_binary_instead_of_compiling()
    {
        gpu.Run(_ =>
        {
            using (GpuContext first = Attach())
            {
                Assert.Equal([3f, 5f, 7f], RunDoubler(first, Doubler));
                Assert.Equal(1, first.Programs.CompiledCount);
                Assert.Equal(0, first.Programs.BinaryLoadCount);
            }
            Assert.Single(Directory.GetFiles(_folder, "*.bin"));
            using GpuContext second = Attach();
            Assert.Equal([3f, 5f, 7f], RunDoubler(second, Doubler));
            Assert.Equal(0, second.Programs.CompiledCount);
            Assert.Equal(1, second.Programs.BinaryLoadCount);
        });
    }

    [Fact]
    public void Changed_source_or_defines_miss_the_cache()
    {
        gpu.Run(_ =>
        {
            using (GpuContext first = Attach()) RunDoubler(first, Doubler);
            using GpuContext second = Attach();
            string changed = Doubler.Replace("2.0 * v[i]", "3.0 * v[i]");
            Assert.Equal([4f, 7f, 10f], RunDoubler(second, changed));
            Assert.Equal(1, second.Programs.CompiledCount);
            Assert.Equal(0, second.Programs.BinaryLoadCount);
        });
        var noDefines = new Dictionary<string, string>();
        Assert.NotEqual(ProgramCache.BinaryKey("driver", Offset1, Doubler), ProgramCache.BinaryKey("driver", noDefines, Doubler));
    }

    [Fact]
    public void Changed_driver_string_gives_a_different_key()
    {
        Assert.NotEqual(
            ProgramCache.BinaryKey("Mesa | llvmpipe | 4.5 Mesa 22.3.6", Offset1, Doubler),
            ProgramCache.BinaryKey("Mesa | llvmpipe | 4.5 Mesa 23.0.0", Offset1, Doubler));
        Assert.Equal(
            ProgramCache.BinaryKey("Mesa | llvmpipe | 4.5 Mesa 22.3.6", Offset1, Doubler),
            ProgramCache.BinaryKey("Mesa | llvmpipe | 4.5 Mesa 22.3.6", new Dictionary<string, string>(Offset1), Doubler));
    }

    [Fact]
    public void Corrupt_cache_file_is_replaced_by_a_fresh_compile()
    {
        gpu.Run(_ =>
        {
            using (GpuContext first = Attach()) RunDoubler(first, Doubler);
            string file = Assert.Single(Directory.GetFiles(_folder, "*.bin"));
            byte[] bytes = File.ReadAllBytes(file);
            for (int i = 12; i < bytes.Length; i += 7) bytes[i] ^= 0x5A; // keep the header, scramble the binary
            File.WriteAllBytes(file, bytes);

            using GpuContext second = Attach();
            Assert.Equal([3f, 5f, 7f], RunDoubler(second, Doubler));
            Assert.Equal(1, second.Programs.CompiledCount + second.Programs.BinaryLoadCount);
        });
    }

    [Fact]
    public void Truncated_cache_file_is_ignored()
    {
        gpu.Run(_ =>
        {
            using (GpuContext first = Attach()) RunDoubler(first, Doubler);
            string file = Assert.Single(Directory.GetFiles(_folder, "*.bin"));
            File.WriteAllBytes(file, [1, 2, 3]);
            using GpuContext second = Attach();
            Assert.Equal([3f, 5f, 7f], RunDoubler(second, Doubler));
            Assert.Equal(1, second.Programs.CompiledCount);
        });
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}

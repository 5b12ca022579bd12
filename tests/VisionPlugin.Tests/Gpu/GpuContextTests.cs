using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Tests.Gpu;

[Collection("Gpu")]
public sealed class GpuContextTests(GpuFixture gpu)
{
    [Fact]
    public void Headless_context_reports_renderer_and_gl_4_3_compute_limits()
    {
        GpuDeviceInfo device = gpu.Run(ctx => ctx.Device);
        Assert.False(string.IsNullOrWhiteSpace(device.Renderer));
        Assert.True(device.MajorVersion > 4 || (device.MajorVersion == 4 && device.MinorVersion >= 3), $"GL {device.Version}");
        Assert.True(device.MaxWorkGroupInvocations >= 1024, $"{device.MaxWorkGroupInvocations} invocations");
        Assert.True(device.MaxStorageBlockBytes >= 16 * 1024 * 1024, $"{device.MaxStorageBlockBytes} bytes");
    }

    [Fact]
    public void Attach_uses_the_context_current_on_the_thread_and_leaves_it_alive()
    {
        gpu.Run(ctx =>
        {
            // The host's loader: here EGL's, as a Silk.NET app would pass window.GLContext.GetProcAddress.
            using (var attached = GpuContext.Attach(Egl.GetProcAddress, new GpuContextOptions { ProgramBinaryCacheDirectory = null }))
            {
                Assert.False(attached.IsHeadless);
                Assert.Equal(ctx.Device.Renderer, attached.Device.Renderer);
                using var x = Tensor.FromData(attached, new TensorShape(1, 1, 2, 2), [1, 2, 3, 4]);
                using var w = Tensor.FromData(attached, new TensorShape(1, 1, 1, 1), [2]);
                using var y = new Tensor(attached, 1, 1, 2, 2);
                Conv2d.Forward(x, w, null, y, Conv2dOptions.Default);
                Assert.Equal([2f, 4f, 6f, 8f], y.ToArray());
            }
            // Disposing the attached context must not destroy the host's context.
            using var still = Tensor.FromData(ctx, new TensorShape(2), [5, 6]);
            Assert.Equal([5f, 6f], still.ToArray());
        });
    }

    [Fact]
    public void Using_the_context_from_another_thread_is_refused()
    {
        GpuContext context = gpu.Run(ctx => ctx);
        var e = Assert.Throws<InvalidOperationException>(() => context.VerifyAccess());
        Assert.Contains("GL thread", e.Message);
        Assert.Throws<InvalidOperationException>(() => new GpuBuffer(context, 4));
    }

    [Fact]
    public void A_driver_below_gl_4_3_is_refused_with_renderer_and_version()
    {
        var old = new GpuDeviceInfo("Mesa", "softpipe", "3.3 (Core Profile) Mesa 20.0", "3.30", 3, 3, 0, 0, 0, 0);
        var e = Assert.Throws<GpuException>(() => GpuContext.RequireCompute(old));
        Assert.Contains("softpipe", e.Message);
        Assert.Contains("3.3 (Core Profile) Mesa 20.0", e.Message);
        Assert.Contains("4.3", e.Message);

        var noCompute = old with { Version = "4.3", MajorVersion = 4, MinorVersion = 3 };
        Assert.Contains("without compute shaders", Assert.Throws<GpuException>(() => GpuContext.RequireCompute(noCompute)).Message);
    }

    [Fact]
    public void Buffers_round_trip_floats_and_ints_and_are_counted_until_disposed()
    {
        gpu.Run(ctx =>
        {
            long countBefore = ctx.LiveBufferCount, bytesBefore = ctx.LiveBufferBytes;
            var buffer = new GpuBuffer(ctx, 5);
            Assert.Equal(countBefore + 1, ctx.LiveBufferCount);
            Assert.Equal(bytesBefore + 20, ctx.LiveBufferBytes);
            buffer.Upload<float>([1.5f, -2f, 3f], elementOffset: 2);
            var floats = new float[5];
            buffer.Download<float>(floats);
            Assert.Equal([0f, 0f, 1.5f, -2f, 3f], floats);
            buffer.Upload<int>([7, -9]);
            var ints = new int[2];
            buffer.Download<int>(ints);
            Assert.Equal([7, -9], ints);
            buffer.Fill(0.25f);
            buffer.Download<float>(floats);
            Assert.All(floats, v => Assert.Equal(0.25f, v));
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Upload<float>(new float[4], elementOffset: 2));
            buffer.Dispose();
            buffer.Dispose(); // idempotent
            Assert.Equal(countBefore, ctx.LiveBufferCount);
            Assert.Equal(bytesBefore, ctx.LiveBufferBytes);
            Assert.Throws<ObjectDisposedException>(() => buffer.Id);
        });
    }

    [Fact]
    public void Tensor_upload_with_wrong_length_names_the_shape()
    {
        gpu.Run(ctx =>
        {
            using var t = new Tensor(ctx, 2, 3, 7, 5);
            var e = Assert.Throws<ArgumentException>(() => t.Upload(new float[10]));
            Assert.Contains("[2,3,7,5]", e.Message);
            Assert.Contains("10", e.Message);
        });
    }

    [Fact]
    public void Large_one_dimensional_dispatches_spill_into_y_and_cover_every_index()
    {
        gpu.Run(ctx =>
        {
            // 70,000 groups of 64 exceed the 65,535 per-dimension limit: DispatchLinear must spill.
            const int count = 70_000 * 64;
            using var buffer = new GpuBuffer(ctx, count);
            ComputeProgram program = ctx.Programs.GetFromSource("test_fill_index.comp", """
                #version 430
                layout(local_size_x = 64) in;
                #include "common.glsl"
                layout(std430, binding = 0) writeonly buffer Out { float y[]; };
                uniform int count;
                void main() { uint i = linear_index(); if (i < uint(count)) y[i] = float(i % 1000u); }
                """);
            program.Set("count", count).Bind(0, buffer).DispatchLinear(count);
            var values = new float[count];
            buffer.Download<float>(values);
            for (int i = 0; i < count; i += 997)
                Assert.True(values[i] == i % 1000, $"index {i}: expected {i % 1000}, got {values[i]}");
            Assert.Equal((count - 1) % 1000, values[count - 1]);
        });
    }
}

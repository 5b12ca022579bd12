using System.Text.Json.Nodes;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Checkpoints;

namespace VisionPlugin.Tests.Training;

[Collection("Gpu")]
public sealed class CheckpointTests(GpuFixture gpu) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-ckpt-").FullName;
    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Save_then_load_restores_values_shapes_and_metadata()
    {
        gpu.Run(ctx =>
        {
            using var a = Tensor.FromData(ctx, new TensorShape(2, 3), [1, 2, 3, 4, 5, 6]);
            using var b = Tensor.FromData(ctx, new TensorShape(1), [-7.5f]);
            Checkpoint.Save(PathOf("m.ckpt"), [("a", a), ("b", b)], new JsonObject { ["epoch"] = 3, ["arch"] = "test" });

            Checkpoint loaded = Checkpoint.Load(PathOf("m.ckpt"));
            Assert.Equal(["a", "b"], loaded.Names);
            Assert.Equal(3, loaded.Metadata["epoch"]!.GetValue<int>());
            using var a2 = new Tensor(ctx, 2, 3);
            using var b2 = new Tensor(ctx, 1);
            loaded.RestoreInto([("a", a2), ("b", b2)]);
            Assert.Equal([1f, 2, 3, 4, 5, 6], a2.ToArray());
            Assert.Equal([-7.5f], b2.ToArray());
            Assert.Empty(Directory.GetFiles(_folder, "*.tmp")); // the temporary file was renamed away
        });
    }

    [Fact]
    public void Mismatched_shape_is_refused_naming_the_tensor_and_nothing_is_changed()
    {
        gpu.Run(ctx =>
        {
            using var w = Tensor.FromData(ctx, new TensorShape(4), [1, 2, 3, 4]);
            using var v = Tensor.FromData(ctx, new TensorShape(2), [5, 6]);
            Checkpoint.Save(PathOf("m.ckpt"), [("conv1.weight", w), ("fc.bias", v)], new JsonObject());
            using var first = Tensor.FromData(ctx, new TensorShape(4), [0, 0, 0, 0]);
            using var wrong = new Tensor(ctx, 3);
            var e = Assert.Throws<InvalidDataException>(() =>
                Checkpoint.Load(PathOf("m.ckpt")).RestoreInto([("conv1.weight", first), ("fc.bias", wrong)]));
            Assert.Contains("fc.bias", e.Message);
            Assert.Contains("[2]", e.Message);
            Assert.Contains("[3]", e.Message);
            Assert.Equal([0f, 0, 0, 0], first.ToArray()); // validated before anything was copied

            var missing = Assert.Throws<InvalidDataException>(() =>
                Checkpoint.Load(PathOf("m.ckpt")).RestoreInto([("layer9.weight", first)]));
            Assert.Contains("layer9.weight", missing.Message);
        });
    }

    [Fact]
    public void Truncated_garbage_and_hostile_files_are_refused_with_specific_messages()
    {
        gpu.Run(ctx =>
        {
            using var t = Tensor.FromData(ctx, new TensorShape(100), new float[100]);
            Checkpoint.Save(PathOf("good.ckpt"), [("t", t)], new JsonObject());
        });
        byte[] good = File.ReadAllBytes(PathOf("good.ckpt"));

        File.WriteAllBytes(PathOf("cut.ckpt"), good[..(good.Length - 50)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(PathOf("cut.ckpt"))).Message);

        File.WriteAllBytes(PathOf("junk.ckpt"), "hello world, not a checkpoint"u8.ToArray());
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(PathOf("junk.ckpt"))).Message);

        byte[] hugeHeader = (byte[])good.Clone();
        BitConverter.GetBytes(int.MaxValue).CopyTo(hugeHeader, 8);
        File.WriteAllBytes(PathOf("huge.ckpt"), hugeHeader);
        Assert.Contains("header length", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(PathOf("huge.ckpt"))).Message);

        // A header that claims an enormous tensor must fail before allocating it.
        string header = "{\"metadata\":{},\"tensors\":[{\"name\":\"x\",\"shape\":[100000,100000]}]}";
        byte[] headerBytes = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] hostile = [.. "VPCKPT01"u8.ToArray(), .. BitConverter.GetBytes(headerBytes.Length), .. headerBytes, .. "VPCKEND!"u8.ToArray()];
        File.WriteAllBytes(PathOf("hostile.ckpt"), hostile);
        Assert.Contains("runs past the end", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(PathOf("hostile.ckpt"))).Message);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_intact()
    {
        gpu.Run(ctx =>
        {
            using var t = Tensor.FromData(ctx, new TensorShape(3), [1, 2, 3]);
            Checkpoint.Save(PathOf("keep.ckpt"), [("t", t)], new JsonObject { ["version"] = 1 });
            // A tensor that cannot be read makes the save fail after the header and the first tensor
            // were written to the temporary file (as a full disk would).
            var gone = new Tensor(ctx, 3);
            gone.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Checkpoint.Save(PathOf("keep.ckpt"), [("t", t), ("gone", gone)], new JsonObject { ["version"] = 2 }));
            Assert.Equal(1, Checkpoint.Load(PathOf("keep.ckpt")).Metadata["version"]!.GetValue<int>());
            Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

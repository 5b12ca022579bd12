using VisionPlugin.Engine;
using VisionPlugin.Engine.Onnx.Import;

namespace VisionPlugin.Tests.Onnx.Import;

/// <summary>The host-side pieces of the importer: index maps (folding and the GPU gather's tables) and gradient file names.</summary>
public sealed class IndexMapAndFileNameTests
{
    [Fact]
    public void Transpose_slice_tile_take_and_broadcast_maps_read_the_right_elements()
    {
        var shape = new TensorShape(2, 3);   // [[0,1,2],[3,4,5]]
        int[] values = [0, 1, 2, 3, 4, 5];
        Assert.Equal([0, 3, 1, 4, 2, 5], IndexMap.Transpose(shape, [1, 0]).Apply<int>(values));
        Assert.Equal([2, 0], IndexMap.Slice(shape, [0, 2], [1, -2], new TensorShape(1, 2)).Apply<int>(values));
        Assert.Equal([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5], IndexMap.Tile(shape, [1, 2]).Apply<int>(values));
        Assert.Equal([2, 0, 5, 3], IndexMap.Take(shape, 1, [-1, 0], new TensorShape(2)).Apply<int>(values));
        Assert.Equal([0, 1, 2, 0, 1, 2], IndexMap.Broadcast(new TensorShape(3), shape).Apply<int>([0, 1, 2]));
        IndexMap twice = IndexMap.Transpose(new TensorShape(3, 2), [1, 0]).After(IndexMap.Transpose(shape, [1, 0]));
        Assert.Equal(values, twice.Apply<int>(values));
        Assert.Throws<ArgumentException>(() => IndexMap.Transpose(shape, [0, 0]));
        Assert.Throws<ArgumentException>(() => IndexMap.Take(shape, 1, [3], new TensorShape(1)));
    }

    [Fact]
    public void The_inverse_lists_every_reader_of_each_input_element()
    {
        IndexMap tile = IndexMap.Tile(new TensorShape(2), [3]);   // [a b a b a b]
        var (offsets, readers) = tile.Inverse();
        Assert.Equal([0, 3, 6], offsets);
        Assert.Equal([0, 2, 4, 1, 3, 5], readers);
        var (sliceOffsets, _) = IndexMap.Slice(new TensorShape(4), [1], [2], new TensorShape(2)).Inverse();   // reads 1 and 3
        Assert.Equal([0, 0, 1, 1, 2], sliceOffsets);
    }

    [Fact]
    public void Gradient_file_names_are_safe_and_distinct()
    {
        Assert.Equal("conv1_W_0", OnnxFileNames.Sanitize("conv1/W:0"));
        Assert.Equal("_.", OnnxFileNames.Sanitize(".."));
        Assert.Equal("_", OnnxFileNames.Sanitize(""));
        Assert.Equal("gpu_0_conv1_w_0", OnnxFileNames.Sanitize("gpu_0/conv1_w_0"));
        string longName = new('a', 300);
        string cut = OnnxFileNames.Sanitize(longName);
        Assert.Equal(129, cut.Length);
        Assert.NotEqual(cut, OnnxFileNames.Sanitize(longName + "b"));
        IReadOnlyDictionary<string, string> files = OnnxFileNames.Assign(["a/b", "a:b", "A_B", "x"], "grad_", ".pb", ["grad_x.pb"]);
        Assert.Equal("grad_a_b.pb", files["a/b"]);
        Assert.Equal("grad_a_b~2.pb", files["a:b"]);
        Assert.Equal("grad_A_B~3.pb", files["A_B"]);   // grad_A_B.pb and ~2 differ from the others only in case
        Assert.Equal("grad_x~2.pb", files["x"]);
    }
}

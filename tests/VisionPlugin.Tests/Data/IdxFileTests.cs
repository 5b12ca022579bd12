using System.IO.Compression;
using VisionPlugin.Engine.Data;

namespace VisionPlugin.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-idx-").FullName;

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(_folder, name);
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return path;
        }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
        return path;
    }

    private static byte[] Header(byte type, params int[] dims)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return bytes.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_dimensions_and_bytes_plain_and_gzip(bool gzip)
    {
        string path = Write(gzip ? "x.gz" : "x", [.. Header(0x08, 2, 3), 1, 2, 3, 4, 5, 6], gzip);
        var (dims, data) = IdxFile.ReadBytes(path);
        Assert.Equal([2, 3], dims);
        Assert.Equal([1, 2, 3, 4, 5, 6], data);
    }

    [Fact]
    public void Wrong_magic_is_refused() =>
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(Write("m", [1, 2, 8, 1, 0, 0, 0, 0]))).Message);

    [Fact]
    public void Non_byte_element_type_is_refused() =>
        Assert.Contains("0x0D", Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(Write("f", Header(0x0D, 1)))).Message);

    [Fact]
    public void Truncated_data_is_refused() =>
        Assert.Contains("ends before", Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(Write("t", [.. Header(0x08, 10), 1, 2]))).Message);

    [Fact]
    public void Absurd_dimensions_are_refused_before_allocating() =>
        Assert.Contains("limit", Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(Write("h", Header(0x08, 100000, 100000, 100000)))).Message);

    [Fact]
    public void Fashion_mnist_from_the_debian_package_loads_with_ten_classes()
    {
        LabeledImages test = FashionMnist.Load(train: false);
        Assert.Equal(10_000, test.Count);
        Assert.Equal("[1,28,28]", test.SampleShape.ToString());
        Assert.Equal(10, test.ClassCount);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
        Assert.InRange(test.Pixels.Average(), 0.2, 0.4); // Fashion-MNIST mean intensity is about 0.29
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

using VisionPlugin.Engine.Zoo;

namespace VisionPlugin.Tests.TfJs;

/// <summary>
/// The pretrained registry and the model cache: names and shapes, the cache folder's resolution, and the errors for
/// a cache without the model or with a damaged file. In the Gpu collection because it changes the process's
/// environment, which the parity tests read.
/// </summary>
[Collection("Gpu")]
public sealed class PretrainedZooTests(GpuFixture gpu)
{
    [Fact]
    public void Registry_DescribesTheTrunk_AndRefusesUnknownNames()
    {
        Assert.Equal(["mobilenet_v2"], PretrainedZoo.Names);
        Assert.True(PretrainedZoo.Contains("MobileNet_V2"));
        PretrainedModelInfo info = PretrainedZoo.Describe("mobilenet_v2");
        Assert.Equal(new Engine.TensorShape(3, 224, 224), info.Input);
        Assert.Equal(1280, info.FeatureCount);
        Assert.Contains("nsfwjs 4.3.0", info.Source);
        Assert.Contains("available: mobilenet_v2", Assert.Throws<ArgumentException>(() => PretrainedZoo.Describe("resnet18")).Message);
        gpu.Run(ctx => Assert.Contains("PretrainedZoo.Load", Assert.Throws<ArgumentException>(() => ModelZoo.Build(ctx, "mobilenet_v2", 10)).Message));
    }

    [Fact]
    public void CacheFolder_FollowsTheOverrideThenXdgThenHome()
    {
        string? savedOverride = Environment.GetEnvironmentVariable(ModelCache.EnvironmentVariable);
        string? savedXdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable(ModelCache.EnvironmentVariable, "/tmp/override-cache");
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg");
            Assert.Equal("/tmp/override-cache", ModelCache.DefaultDirectory);
            Assert.Equal(Path.Combine("/tmp/override-cache", "nsfwjs-4.3.0", "mobilenet_v2"), PretrainedZoo.ModelDirectory("mobilenet_v2"));
            Environment.SetEnvironmentVariable(ModelCache.EnvironmentVariable, null);
            Assert.Equal("/tmp/xdg/visionplugin/models", ModelCache.DefaultDirectory);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "visionplugin", "models"), ModelCache.DefaultDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.EnvironmentVariable, savedOverride);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", savedXdg);
        }
    }

    [Fact]
    public void EmptyCache_SaysToRunSetup()
    {
        using var cache = new TempDirectory();
        var e = gpu.Run(ctx => Assert.Throws<FileNotFoundException>(() => PretrainedZoo.Load(ctx, "mobilenet_v2", cache.Path)));
        Assert.Contains("not in the model cache", e.Message);
        Assert.Contains("scripts/setup.sh", e.Message);
        Assert.Contains(ModelCache.EnvironmentVariable, e.Message);
    }

    [Fact]
    public void DamagedCacheFile_FailsItsChecksum()
    {
        PretrainedModelFixture.EnsureMobileNetV2();
        using var cache = new TempDirectory();
        string source = PretrainedZoo.ModelDirectory("mobilenet_v2");
        string copy = PretrainedZoo.ModelDirectory("mobilenet_v2", cache.Path);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string shard = Path.Combine(copy, "group1-shard1of1.min.js");
        byte[] bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(shard, bytes);
        var e = gpu.Run(ctx => Assert.Throws<InvalidDataException>(() => PretrainedZoo.Load(ctx, "mobilenet_v2", cache.Path)));
        Assert.Contains("group1-shard1of1.min.js has SHA-256", e.Message);
        Assert.Contains("fetch-models.sh", e.Message);
    }
}

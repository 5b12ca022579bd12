using VisionPlugin.Host.SampleVideo;
using VisionPlugin.Imaging;
using static VisionPlugin.Host.Tests.SampleVideo.SampleVideoTestKit;

namespace VisionPlugin.Host.Tests.SampleVideo;

public sealed class SampleVideoBuilderTests
{
    [Fact]
    public void Build_WritesSegmentsTimesFramesPerSegment_AndAContiguousManifest()
    {
        using var scratch = new ScratchFolder();
        var recipe = SmallRecipe(WriteSources(scratch.Path, 3));
        var sink = new MemorySink();

        SampleVideoManifest manifest = SampleVideoBuilder.Build(recipe, sink, "frames", "hash");

        Assert.Equal((64, 36, 10), (sink.Width, sink.Height, sink.Fps));
        Assert.True(sink.Completed);
        Assert.Equal(3 * 20, sink.Frames.Count);
        Assert.All(sink.Frames, f => Assert.Equal(64 * 36 * 3, f.Length));
        Assert.Equal(60, manifest.FrameCount);
        Assert.Equal(["class0", "class1", "class2"], manifest.Labels);
        Assert.Equal([(0, 19), (20, 39), (40, 59)], manifest.Segments.Select(s => (s.FirstFrame, s.LastFrame)));
        Assert.Equal("class0", manifest.LabelAt(19));
        Assert.Equal("class1", manifest.LabelAt(20));
        Assert.Equal(recipe.Segments[2].SourcePath, manifest.Segments[2].Source);
    }

    [Fact]
    public void Build_IsDeterministic_AndTheSeedChangesTheCameraPaths()
    {
        using var scratch = new ScratchFolder();
        var sources = WriteSources(scratch.Path, 2);
        var first = new MemorySink();
        var second = new MemorySink();
        var reseeded = new MemorySink();

        SampleVideoBuilder.Build(SmallRecipe(sources, seed: 3), first, "v", "h");
        SampleVideoBuilder.Build(SmallRecipe(sources, seed: 3), second, "v", "h");
        SampleVideoBuilder.Build(SmallRecipe(sources, seed: 4), reseeded, "v", "h");

        for (int i = 0; i < first.Frames.Count; i++) Assert.Equal(first.Frames[i], second.Frames[i]);
        Assert.Contains(Enumerable.Range(0, first.Frames.Count), i => !first.Frames[i].AsSpan().SequenceEqual(reseeded.Frames[i]));
    }

    [Fact]
    public void Build_ConsecutiveFramesMoveALittle_SegmentsDifferStrongly()
    {
        using var scratch = new ScratchFolder();
        var sink = new MemorySink();
        SampleVideoManifest manifest = SampleVideoBuilder.Build(SmallRecipe(WriteSources(scratch.Path, 3)), sink, "v", "h");

        var within = new List<double>();
        var across = new List<double>();
        for (int i = 1; i < sink.Frames.Count; i++)
        {
            double difference = MeanAbsoluteDifference(sink.Frames[i - 1], sink.Frames[i]);
            (manifest.LabelAt(i) == manifest.LabelAt(i - 1) ? within : across).Add(difference);
        }
        // Every step within a segment moves the picture (pan/zoom), none jumps; every cut changes it a lot.
        Assert.All(within, d => Assert.InRange(d, 1, 15));
        Assert.Equal(2, across.Count);
        Assert.All(across, d => Assert.True(d > 3 * within.Max(), $"cut difference {d:0.0} vs largest step {within.Max():0.0}"));
        // The ends of one segment differ more than neighbours do (the path really travels), yet less than a cut.
        double travel = MeanAbsoluteDifference(sink.Frames[0], sink.Frames[19]);
        Assert.True(travel > within.Take(19).Max(), $"first-to-last {travel:0.0}");
        Assert.True(travel < across.Min(), $"first-to-last {travel:0.0} vs cut {across.Min():0.0}");
    }

    [Fact]
    public void Build_FramesShowTheSourceColours()
    {
        using var scratch = new ScratchFolder();
        var sink = new MemorySink();
        SampleVideoBuilder.Build(SmallRecipe(WriteSources(scratch.Path, 3)), sink, "v", "h");

        // Segment 0 is red-based, 1 green-based, 2 blue-based; frames are BGR, so channel 2 is red.
        int[] dominant = [2, 1, 0];
        for (int segment = 0; segment < 3; segment++)
        {
            byte[] frame = sink.Frames[segment * 20 + 10];
            double[] means = [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, frame.Length / 3).Average(p => frame[3 * p + c]))];
            Assert.Equal(dominant[segment], Array.IndexOf(means, means.Max()));
        }
    }

    [Fact]
    public void PngFolderSink_WritesNumberedFramesThatDecodeToTheSamePixels()
    {
        using var scratch = new ScratchFolder();
        var recipe = SmallRecipe(WriteSources(scratch.Path, 2));
        var memory = new MemorySink();
        SampleVideoBuilder.Build(recipe, memory, "v", "h");
        string folder = Path.Combine(scratch.Path, "frames");
        using (var sink = new PngFolderSink(folder)) SampleVideoBuilder.Build(recipe, sink, "frames", "h");

        string[] files = [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(Enumerable.Range(0, 40).Select(PngFolderSink.FrameFileName), files);
        foreach (int index in new[] { 0, 23, 39 })
        {
            DecodedImage image = ImageDecoders.Load(Path.Combine(folder, files[index]));
            Assert.Equal((64, 36), (image.Width, image.Height));
            ReadOnlySpan<byte> rgba = image.Pixels.Span;
            byte[] bgr = memory.Frames[index];
            for (int p = 0; p < 64 * 36; p++)
                Assert.True(rgba[4 * p] == bgr[3 * p + 2] && rgba[4 * p + 1] == bgr[3 * p + 1] && rgba[4 * p + 2] == bgr[3 * p], $"frame {index} pixel {p}");
        }
    }

    [Fact]
    public void PngFolderSink_RefusesAFolderThatAlreadyHoldsFrames_AndCallsOutOfOrder()
    {
        using var scratch = new ScratchFolder();
        File.WriteAllBytes(Path.Combine(scratch.Path, PngFolderSink.FrameFileName(0)), [1]);
        using var sink = new PngFolderSink(scratch.Path);
        Assert.Throws<InvalidOperationException>(() => sink.Write(new byte[12]));
        var error = Assert.Throws<IOException>(() => sink.Begin(2, 2, 1));
        Assert.Contains("already holds frames", error.Message);
    }

    [Fact]
    public void PngFolderSink_RejectsAFrameOfTheWrongSize()
    {
        using var scratch = new ScratchFolder();
        using var sink = new PngFolderSink(Path.Combine(scratch.Path, "f"));
        sink.Begin(4, 2, 5);
        var error = Assert.Throws<ArgumentException>(() => sink.Write(new byte[23]));
        Assert.Contains("has 24 bytes; got 23", error.Message);
    }

    [Fact]
    public void Build_MissingSource_NamesTheDebianPackageAndSetup()
    {
        using var scratch = new ScratchFolder();
        var sources = WriteSources(scratch.Path, 1).ToList();
        sources.Add(new SampleVideoSegmentSource("gone", "/nonexistent/sample/photo.jpg", "some-wallpapers", "CC0-1.0", "x"));
        var sink = new MemorySink();

        var error = Assert.Throws<FileNotFoundException>(() => SampleVideoBuilder.Build(SmallRecipe(sources), sink, "v", "h"));

        Assert.Contains("/nonexistent/sample/photo.jpg", error.Message);
        Assert.Contains("some-wallpapers", error.Message);
        Assert.Contains("scripts/setup.sh", error.Message);
        Assert.Empty(sink.Frames); // checked before any frame is written
    }

    [Fact]
    public void Build_UndecodableSource_SaysWhichSegmentAndHowToGetADecoder()
    {
        using var scratch = new ScratchFolder();
        string bogus = Path.Combine(scratch.Path, "photo.jpg");
        File.WriteAllText(bogus, "this is not an image at all");
        var recipe = SmallRecipe([new SampleVideoSegmentSource("bogus", bogus, null, "CC0-1.0", "x")]);

        var error = Assert.Throws<ImageFormatException>(() => SampleVideoBuilder.Build(recipe, new MemorySink(), "v", "h"));

        Assert.Contains("segment 'bogus'", error.Message);
        Assert.Contains("OpenCvImageDecoder.Register()", error.Message);
    }

    [Fact]
    public void Recipe_Validate_RejectsRepeatedLabelsAndBadFractions()
    {
        var source = new SampleVideoSegmentSource("a", "/x.png", null, "CC0-1.0", "x");
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new SampleVideoRecipe { Segments = [source, source] }.Validate()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleVideoRecipe { Segments = [source], CaptureFraction = 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleVideoRecipe { Segments = [source], MaxZoom = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampleVideoRecipe { Segments = [source with { FocusX = 1.5 }] }.Validate());
        Assert.Throws<ArgumentException>(() => new SampleVideoRecipe().Validate());
    }
}

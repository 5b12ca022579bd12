using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.Tests.Capture;

public sealed class SourceSpecTests
{
    [Theory]
    [InlineData("0", SourceKind.Camera, "Camera 0")]
    [InlineData(" 9 ", SourceKind.Camera, "Camera 9")]
    [InlineData("rtsp://user:secret@cam.local:554/stream1", SourceKind.Url, "rtsp://***@cam.local:554/stream1")]
    [InlineData("https://example.org/live.m3u8", SourceKind.Url, "https://example.org/live.m3u8")]
    [InlineData("gst:videotestsrc ! appsink", SourceKind.GStreamerPipeline, "GStreamer: videotestsrc ! appsink")]
    [InlineData("v4l2src device=/dev/video2 ! videoconvert ! video/x-raw,format=BGR ! appsink drop=1", SourceKind.GStreamerPipeline, "GStreamer: v4l2src device=/dev/video2 ! vide...")]
    public void Parse_RecognisesCamerasUrlsAndPipelines(string text, SourceKind kind, string display)
    {
        SourceSpec spec = SourceSpec.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(display, spec.ToString());
        Assert.Equal(kind != SourceKind.VideoFile && kind != SourceKind.ImageFolder, spec.IsLive);
    }

    [Fact]
    public void Parse_TellsFilesFromFolders()
    {
        using var folder = new TempFolder();
        string file = folder.File("clip.mp4");
        File.WriteAllBytes(file, [1]);
        SourceSpec video = SourceSpec.Parse(file);
        Assert.Equal((SourceKind.VideoFile, file, "clip.mp4", -1), (video.Kind, video.Location, video.ToString(), video.CameraIndex));
        SourceSpec images = SourceSpec.Parse(folder.Path + "/");
        Assert.Equal(SourceKind.ImageFolder, images.Kind);
        Assert.Equal(Path.GetFileName(folder.Path) + "/ (images)", images.ToString());
    }

    [Fact]
    public void Sample_IsResolvedByTheCaller()
    {
        using var folder = new TempFolder();
        string file = folder.File("sample.mp4");
        File.WriteAllBytes(file, [1]);
        Assert.Equal(file, SourceSpec.Parse("sample", keyword => keyword == SourceSpec.SampleKeyword ? file : null).Location);
        Assert.Contains("not available", Assert.Throws<ArgumentException>(() => SourceSpec.Parse("sample")).Message);
    }

    [Fact]
    public void BadSources_GiveClearErrors()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => SourceSpec.Parse("/no/such/video.mp4"));
        Assert.Contains("/no/such/video.mp4 does not exist", missing.Message);
        var scheme = Assert.Throws<ArgumentException>(() => SourceSpec.Parse("ftp://host/video.mp4"));
        Assert.Contains("Unsupported URL scheme \"ftp://\"", scheme.Message);
        Assert.Contains("rtsp://", scheme.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => SourceSpec.Parse("  ")).Message);
        Assert.Contains("pipeline", Assert.Throws<ArgumentException>(() => SourceSpec.Parse("gst:")).Message);
        Assert.Throws<FileNotFoundException>(() => SourceSpec.Parse("10")); // cameras are 0-9; "10" must be a file
    }
}

using VisionPlugin.Host.Capture;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>Writes the sample video's frames into an MP4 through OpenCV's VideoWriter.</summary>
public sealed class Mp4SampleVideoSink(string path) : ISampleVideoSink
{
    private Mp4Writer? _writer;
    private int _stride;

    public void Begin(int width, int height, int fps)
    {
        _writer = Mp4Writer.Open(path, width, height, fps);
        _stride = width * 3;
    }

    public void Write(ReadOnlySpan<byte> bgr) =>
        (_writer ?? throw new InvalidOperationException("Mp4SampleVideoSink.Write before Begin.")).Write(bgr, _stride);

    public void Complete()
    {
        _writer?.Dispose(); // completes the file and renames it into place
        _writer = null;
    }

    public void Dispose() => _writer?.Dispose();
}

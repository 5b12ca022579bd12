using VisionPlugin.Host.Capture.Native;

namespace VisionPlugin.Host.Capture;

/// <summary>
/// A camera, video file, URL or GStreamer pipeline read through OpenCV's VideoCapture: each <see cref="Read"/> decodes
/// one BGR8 frame into the shim's reused Mat and copies it once into a pooled <see cref="CapturedFrame"/>.
/// </summary>
internal sealed class VideoCaptureSource : IFrameSource
{
    private readonly SourceSpec _spec;
    private readonly VideoCapture _capture;
    private readonly Mat _mat = new();
    private int _fileIndex;

    private VideoCaptureSource(SourceSpec spec, VideoCapture capture, double fallbackFps)
    {
        _spec = spec;
        _capture = capture;
        double fps = capture.Get(VideoCaptureProperty.Fps);
        NominalFps = fps is > 0 and < 1000 ? fps : spec.IsLive ? 0 : fallbackFps;
    }

    public double NominalFps { get; }

    public string? Warning => null;

    /// <summary>The OpenCV backend in use ("FFMPEG", "GSTREAMER", "V4L2").</summary>
    public string BackendName => _capture.BackendName;

    /// <summary>Opens <paramref name="spec"/> (not an image folder) with the backend that suits it.</summary>
    /// <exception cref="SourceUnavailableException">OpenCV could not open it; the message says what was tried.</exception>
    public static VideoCaptureSource Open(SourceSpec spec, CaptureOptions options)
    {
        int timeoutMs = (int)Math.Clamp(options.NetworkTimeout.TotalMilliseconds, 1, int.MaxValue);
        (VideoCapture? capture, string failure) = spec.Kind switch
        {
            SourceKind.Camera => (VideoCapture.TryOpen(spec.CameraIndex),
                $"{spec} not found (OpenCV could not open it; on Linux it would be /dev/video{spec.CameraIndex})"),
            SourceKind.VideoFile => (VideoCapture.TryOpen(spec.Location, VideoCaptureApi.FFmpeg),
                $"Could not open video {spec.Location}: FFmpeg cannot read it (not a video, or an unsupported codec)"),
            SourceKind.Url => (VideoCapture.TryOpen(spec.Location, VideoCaptureApi.FFmpeg,
                    [(VideoCaptureProperty.OpenTimeoutMsec, timeoutMs), (VideoCaptureProperty.ReadTimeoutMsec, timeoutMs)]),
                $"Could not connect to {spec} (no answer within {options.NetworkTimeout.TotalSeconds:F1} s, or not a stream FFmpeg can read)"),
            SourceKind.GStreamerPipeline => (VideoCapture.TryOpen(spec.Location, VideoCaptureApi.GStreamer),
                $"GStreamer could not start the pipeline \"{spec.Location}\" (check the element names; it must end in appsink)"),
            _ => throw new ArgumentException($"{spec.Kind} is not read through VideoCapture.", nameof(spec)),
        };
        return capture is null ? throw new SourceUnavailableException(failure) : new VideoCaptureSource(spec, capture, options.ImageFolderFps);
    }

    public CapturedFrame? Read(FramePool pool, long sequence, System.Diagnostics.Stopwatch clock)
    {
        if (!_capture.Read(_mat)) return null;
        (int width, int height, int channels) = _mat.Size;
        if (channels != CapturedFrame.BytesPerPixel)
            throw new InvalidOperationException($"{_spec} delivered a {channels}-channel frame; the shim converts to BGR8, so this is a shim bug.");
        int index = _spec.IsLive ? -1 : _fileIndex++;
        TimeSpan timestamp = index >= 0 && NominalFps > 0 ? TimeSpan.FromSeconds(index / NominalFps) : clock.Elapsed;
        CapturedFrame frame = pool.Rent(width, height, sequence, index, timestamp);
        try
        {
            _mat.CopyTo(frame.Pixels.Span, frame.Stride);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _capture.Dispose();
        _mat.Dispose();
    }
}

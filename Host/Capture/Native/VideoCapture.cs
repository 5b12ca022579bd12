namespace VisionPlugin.Host.Capture.Native;

/// <summary>
/// <c>cv::VideoCapture</c> through the shim: a camera, video file, URL or GStreamer pipeline delivering BGR8 frames.
/// Use from one thread at a time; dispose once (idempotent) to release the device or stream.
/// </summary>
internal sealed unsafe class VideoCapture : IDisposable
{
    private nint _handle;

    private VideoCapture(nint handle) => _handle = handle;

    /// <summary>Opens camera <paramref name="index"/>; null when OpenCV reports it not opened (no such camera).</summary>
    public static VideoCapture? TryOpen(int index, VideoCaptureApi api = VideoCaptureApi.Any)
    {
        nint handle;
        int code = OpenCvShim.Check(OpenCvShim.Api.CaptureOpenIndex(index, (int)api, &handle), $"VideoCapture open camera {index}");
        return code == OpenCvShim.Ok ? new VideoCapture(handle) : null;
    }

    /// <summary>
    /// Opens a file path, URL or pipeline with <paramref name="api"/> and open-time properties (e.g.
    /// <see cref="VideoCaptureProperty.OpenTimeoutMsec"/>); null when OpenCV reports it not opened.
    /// </summary>
    public static VideoCapture? TryOpen(string source, VideoCaptureApi api, IReadOnlyList<(VideoCaptureProperty Property, int Value)>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        parameters ??= [];
        var pairs = new int[2 * parameters.Count];
        for (int i = 0; i < parameters.Count; i++) (pairs[2 * i], pairs[2 * i + 1]) = ((int)parameters[i].Property, parameters[i].Value);
        byte[] utf8 = OpenCvShim.Utf8(source);
        nint handle;
        int code;
        fixed (byte* text = utf8)
        fixed (int* pairPointer = pairs)
            code = OpenCvShim.Check(OpenCvShim.Api.CaptureOpenSource(text, (int)api, pairs.Length > 0 ? pairPointer : null, parameters.Count, &handle),
                $"VideoCapture open {api}");
        return code == OpenCvShim.Ok ? new VideoCapture(handle) : null;
    }

    /// <summary><c>read(frame)</c>: grabs and decodes the next frame into <paramref name="frame"/> as BGR8; false at the end or on loss.</summary>
    public bool Read(Mat frame) =>
        OpenCvShim.Check(OpenCvShim.Api.CaptureRead(Handle, frame.Handle), "VideoCapture read") == OpenCvShim.Ok;

    /// <summary><c>get(property)</c>; 0 when the backend does not know it.</summary>
    public double Get(VideoCaptureProperty property)
    {
        double value;
        OpenCvShim.Check(OpenCvShim.Api.CaptureGet(Handle, (int)property, &value), $"VideoCapture get {property}");
        return value;
    }

    /// <summary><c>set(property, value)</c>; whether the backend accepted it.</summary>
    public bool Set(VideoCaptureProperty property, double value) =>
        OpenCvShim.Check(OpenCvShim.Api.CaptureSet(Handle, (int)property, value), $"VideoCapture set {property}") == OpenCvShim.Ok;

    /// <summary><c>getBackendName()</c>: "FFMPEG", "GSTREAMER", "V4L2".</summary>
    public string BackendName
    {
        get
        {
            byte* name = stackalloc byte[64];
            OpenCvShim.Check(OpenCvShim.Api.CaptureBackendName(Handle, name, 64), "VideoCapture getBackendName");
            return new string((sbyte*)name);
        }
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(VideoCapture));

    public void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) OpenCvShim.Api.CaptureRelease(handle);
    }
}

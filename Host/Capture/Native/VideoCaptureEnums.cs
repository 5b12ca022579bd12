namespace VisionPlugin.Host.Capture.Native;

/// <summary>OpenCV's <c>cv::VideoCaptureAPIs</c> (the backends used here), same values.</summary>
internal enum VideoCaptureApi
{
    Any = 0,
    V4L2 = 200,
    GStreamer = 1800,
    FFmpeg = 1900,
}

/// <summary>OpenCV's <c>cv::VideoCaptureProperties</c> (those used here), same values.</summary>
internal enum VideoCaptureProperty
{
    PosMsec = 0,
    PosFrames = 1,
    FrameWidth = 3,
    FrameHeight = 4,
    Fps = 5,
    FrameCount = 7,
    OpenTimeoutMsec = 53,
    ReadTimeoutMsec = 54,
}

/// <summary>Pixel layouts the shim converts to (its VP_BGR8 ... codes).</summary>
internal enum ShimPixelLayout
{
    Bgr8 = 0,
    Bgra8 = 1,
    Rgba8 = 2,
    Gray8 = 3,
}

/// <summary>OpenCV's Hershey fonts (<c>cv::HersheyFonts</c>) offered for text rendering.</summary>
public enum HersheyFont
{
    Simplex = 0,
    Duplex = 2,
}

namespace VisionPlugin.Host.Capture.Native;

/// <summary>An OpenCV call failed inside the shim (a cv::Exception or a bad argument); the message is OpenCV's.</summary>
public sealed class OpenCvException(string operation, int code, string message)
    : Exception($"{operation} failed: {message}")
{
    /// <summary>What was being done ("VideoCapture.read", "imdecode").</summary>
    public string Operation { get; } = operation;

    /// <summary>The shim's error code: -1 bad argument, -2 cv::Exception, -3 other native exception, -4 buffer too small.</summary>
    public int Code { get; } = code;
}

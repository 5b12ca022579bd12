namespace VisionPlugin.Host.Capture.Native;

/// <summary>OpenCV free functions through the shim (named as in OpenCvSharp's <c>Cv2</c>): image codecs and Hershey text.</summary>
internal static unsafe class Cv2
{
    /// <summary>
    /// <c>cv::imdecode</c> of a whole file into <paramref name="image"/> converted to <paramref name="layout"/>; false when
    /// OpenCV cannot decode it. Check the header's size limits first: OpenCV allocates whatever the header says.
    /// </summary>
    public static bool ImDecode(ReadOnlySpan<byte> file, long maxBytes, ShimPixelLayout layout, Mat image)
    {
        fixed (byte* pointer = file)
            return OpenCvShim.Check(OpenCvShim.Api.ImDecode(pointer, file.Length, maxBytes, (int)layout, image.Handle), "imdecode") == OpenCvShim.Ok;
    }

    /// <summary><c>cv::imencode</c> of a BGR8 image as <paramref name="extension"/> (".jpg", ".png"); JPEG quality 1..100.</summary>
    public static byte[] ImEncode(string extension, ReadOnlySpan<byte> bgr, int width, int height, int stride, int quality = 95)
    {
        byte[] extensionUtf8 = OpenCvShim.Utf8(extension);
        var target = new byte[Math.Max(1024, bgr.Length / 2)];
        while (true)
        {
            long written;
            int code;
            fixed (byte* ext = extensionUtf8)
            fixed (byte* source = bgr)
            fixed (byte* output = target)
                code = OpenCvShim.Api.ImEncode(ext, source, bgr.Length, width, height, stride, quality, output, target.Length, &written);
            if (code == OpenCvShim.ErrorTooSmall && written > target.Length) { target = new byte[written]; continue; }
            OpenCvShim.Check(code, $"imencode {extension}");
            return target[..(int)written];
        }
    }

    /// <summary><c>cv::getTextSize</c>: the text box above the baseline and the descent below it, in pixels.</summary>
    public static (int Width, int Height, int Baseline) GetTextSize(string text, HersheyFont font, double fontScale, int thickness)
    {
        byte[] utf8 = OpenCvShim.Utf8(text);
        int width, height, baseline;
        fixed (byte* pointer = utf8)
            OpenCvShim.Check(OpenCvShim.Api.GetTextSize(pointer, (int)font, fontScale, thickness, &width, &height, &baseline), "getTextSize");
        return (width, height, baseline);
    }

    /// <summary>
    /// <c>cv::putText</c> (LINE_AA, value 255) into an 8-bit coverage buffer of <paramref name="width"/> x
    /// <paramref name="height"/>, the baseline starting at (<paramref name="originX"/>, <paramref name="originY"/>).
    /// </summary>
    public static void PutTextAlpha(string text, HersheyFont font, double fontScale, int thickness,
                                    Span<byte> alpha, int width, int height, int stride, int originX, int originY)
    {
        byte[] utf8 = OpenCvShim.Utf8(text);
        fixed (byte* pointer = utf8)
        fixed (byte* target = alpha)
            OpenCvShim.Check(OpenCvShim.Api.PutTextAlpha(pointer, (int)font, fontScale, thickness, target, alpha.Length, width, height, stride, originX, originY), "putText");
    }
}

namespace VisionPlugin.Host.SampleVideo;

/// <summary>A crop window in source pixel coordinates (fractional; (0,0) is the top-left corner of the top-left pixel).</summary>
public readonly record struct CropWindow(double X, double Y, double Width, double Height);

/// <summary>
/// The "Ken Burns" camera over one still image: a window of the output's aspect ratio that zooms and pans at
/// constant speed over a segment, so consecutive frames differ a little and the segment's first and last frames
/// show the same subject at clearly different framing.
/// </summary>
/// <remarks>
/// With output aspect A = outW / outH, the unzoomed window is the largest A-shaped rectangle inside the image,
/// (w0, h0) = imgH * A &lt;= imgW ? (imgH * A, imgH) : (imgW, imgW / A). At t = i / (n - 1) in [0, 1]:
/// zoom z(t) = z0 + (z1 - z0) t (z0, z1 = minZoom and maxZoom, in a seeded order), window (w0 / z, h0 / z), centre
/// c(t) = focus + (t - 1/2) * pan, where pan has length panFraction * w0 and a seeded direction; the centre is then
/// clamped so the window stays inside the image (near an edge the pan slows or stops, the zoom goes on; at zoom 1
/// the window spans the image in one direction, so only the other direction can pan there).
/// </remarks>
public sealed class KenBurnsPath
{
    private readonly double _imageWidth, _imageHeight, _baseWidth, _baseHeight, _startZoom, _endZoom;
    private readonly double _focusX, _focusY, _panX, _panY;

    /// <param name="imageWidth">Source columns.</param>
    /// <param name="imageHeight">Source rows.</param>
    /// <param name="outputAspect">Output width / height.</param>
    /// <param name="focusX">Centre of the path, 0..1 of the width.</param>
    /// <param name="focusY">Centre of the path, 0..1 of the height.</param>
    /// <param name="minZoom">The zoom at one end of the segment, 1 or more (1: the unzoomed window).</param>
    /// <param name="maxZoom">The zoom at the other end, at least <paramref name="minZoom"/>.</param>
    /// <param name="panFraction">Length of the pan as a fraction of the unzoomed window's width.</param>
    /// <param name="random">Draws the zoom order and the pan direction (two draws).</param>
    public KenBurnsPath(int imageWidth, int imageHeight, double outputAspect, double focusX, double focusY,
        double minZoom, double maxZoom, double panFraction, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputAspect);
        ArgumentOutOfRangeException.ThrowIfLessThan(minZoom, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxZoom, minZoom);
        ArgumentNullException.ThrowIfNull(random);
        (_imageWidth, _imageHeight) = (imageWidth, imageHeight);
        if (imageHeight * outputAspect <= imageWidth) (_baseWidth, _baseHeight) = (imageHeight * outputAspect, imageHeight);
        else (_baseWidth, _baseHeight) = (imageWidth, imageWidth / outputAspect);
        bool zoomIn = random.NextDouble() < 0.5;
        (_startZoom, _endZoom) = zoomIn ? (minZoom, maxZoom) : (maxZoom, minZoom);
        double angle = 2 * Math.PI * random.NextDouble(), length = panFraction * _baseWidth;
        (_panX, _panY) = (length * Math.Cos(angle), length * Math.Sin(angle));
        (_focusX, _focusY) = (focusX * imageWidth, focusY * imageHeight);
    }

    /// <summary>Whether the window grows tighter over the segment (zoom 1 -> max) rather than wider.</summary>
    public bool ZoomsIn => _endZoom > _startZoom;

    /// <summary>The window at frame <paramref name="frame"/> of <paramref name="frameCount"/>.</summary>
    public CropWindow At(int frame, int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, frameCount);
        double t = (double)frame / (frameCount - 1);
        double zoom = _startZoom + (_endZoom - _startZoom) * t;
        double width = _baseWidth / zoom, height = _baseHeight / zoom;
        double centreX = Math.Clamp(_focusX + (t - 0.5) * _panX, width / 2, _imageWidth - width / 2);
        double centreY = Math.Clamp(_focusY + (t - 0.5) * _panY, height / 2, _imageHeight - height / 2);
        return new CropWindow(centreX - width / 2, centreY - height / 2, width, height);
    }
}

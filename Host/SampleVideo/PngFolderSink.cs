using System.Globalization;
using VisionPlugin.Visualization;

namespace VisionPlugin.Host.SampleVideo;

/// <summary>
/// Writes each frame as <c>frame_00000.png</c>, <c>frame_00001.png</c>, ... (RGB8 PNG) into one folder, which it
/// creates. The fallback video format when no MP4 writer is available, and what the tests read back.
/// </summary>
public sealed class PngFolderSink : ISampleVideoSink
{
    private int _width, _height, _frameCount;
    private byte[] _rgb = [];
    private State _state = State.New;

    /// <param name="folder">The folder that will hold the frames; created if missing, must hold no frames yet.</param>
    public PngFolderSink(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    private enum State { New, Writing, Completed, Disposed }

    /// <summary>The folder the frames go to.</summary>
    public string Folder { get; }

    /// <summary>Frames written so far.</summary>
    public int FrameCount => _frameCount;

    /// <summary>The file name of frame <paramref name="index"/>: <c>frame_00042.png</c>.</summary>
    public static string FrameFileName(int index) => $"frame_{index.ToString("D5", CultureInfo.InvariantCulture)}.png";

    /// <inheritdoc />
    /// <exception cref="IOException">The folder already holds frames.</exception>
    public void Begin(int width, int height, int fps)
    {
        Require(State.New, nameof(Begin));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fps, 1);
        Directory.CreateDirectory(Folder);
        if (Directory.EnumerateFiles(Folder, "frame_*.png").Any())
            throw new IOException($"PNG frame folder '{Folder}' already holds frames; give an empty or new folder.");
        (_width, _height) = (width, height);
        _rgb = new byte[width * height * 3];
        _state = State.Writing;
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> bgr)
    {
        Require(State.Writing, nameof(Write));
        if (bgr.Length != _rgb.Length)
            throw new ArgumentException($"A {_width}x{_height} BGR8 frame has {_rgb.Length} bytes; got {bgr.Length}.", nameof(bgr));
        for (int i = 0; i < _rgb.Length; i += 3)
        {
            _rgb[i] = bgr[i + 2];
            _rgb[i + 1] = bgr[i + 1];
            _rgb[i + 2] = bgr[i];
        }
        File.WriteAllBytes(Path.Combine(Folder, FrameFileName(_frameCount)), PngWriter.Encode(_rgb, _width, _height, PngPixelFormat.Rgb8));
        _frameCount++;
    }

    /// <inheritdoc />
    public void Complete()
    {
        Require(State.Writing, nameof(Complete));
        _state = State.Completed;
    }

    /// <inheritdoc />
    public void Dispose() => _state = State.Disposed;

    private void Require(State expected, string operation)
    {
        ObjectDisposedException.ThrowIf(_state == State.Disposed, this);
        if (_state != expected)
            throw new InvalidOperationException($"PngFolderSink.{operation} called while the sink is {_state} (expected {expected}).");
    }
}

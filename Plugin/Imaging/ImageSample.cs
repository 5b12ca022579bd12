using VisionPlugin.Classification;
using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Imaging;

/// <summary>One labelled image of an <see cref="ImageFolderDataset"/>.</summary>
/// <param name="Path">The file it was loaded from.</param>
/// <param name="Label">Index of its class in <see cref="ImageFolderDataset.ClassNames"/>.</param>
/// <param name="Width">Columns (after any <see cref="ImageFolderOptions.MaxSide"/> shrinking).</param>
/// <param name="Height">Rows.</param>
/// <param name="Format"><see cref="PixelFormat.Rgb24"/> when composited, <see cref="PixelFormat.Rgba32"/> when alpha was kept.</param>
/// <param name="Pixels">Row-major pixels from the top row, no padding: width * height * (3 or 4) bytes.</param>
/// <param name="SourceHadAlpha">Whether the file carried transparency (see <see cref="DecodedImage.HasAlpha"/>).</param>
public sealed record ImageSample(string Path, int Label, int Width, int Height, PixelFormat Format, ReadOnlyMemory<byte> Pixels, bool SourceHadAlpha)
{
    /// <summary>The pixels as a frame for <see cref="Classifier"/> and the GPU preprocessing.</summary>
    public Frame ToFrame() => Frame.Packed(Pixels, Width, Height, Format);
}

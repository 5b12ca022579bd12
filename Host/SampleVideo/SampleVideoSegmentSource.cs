namespace VisionPlugin.Host.SampleVideo;

/// <summary>One labelled segment of the sample video: the still image its camera path moves over, and where it came from.</summary>
/// <param name="Label">The class name the segment's frames carry ("mountain", "dogs").</param>
/// <param name="SourcePath">The image file (any format <see cref="VisionPlugin.Imaging.ImageDecoders"/> reads).</param>
/// <param name="Package">The Debian package that installs <paramref name="SourcePath"/>, or null for a file of our own.</param>
/// <param name="Licence">The image's licence (SPDX-style, e.g. "CC-BY-4.0").</param>
/// <param name="Credit">Author and year, as the package's copyright file gives them.</param>
/// <param name="FocusX">Horizontal position, 0 (left) .. 1 (right), that the camera path keeps centred (the subject).</param>
/// <param name="FocusY">Vertical position, 0 (top) .. 1 (bottom), that the camera path keeps centred.</param>
public sealed record SampleVideoSegmentSource(
    string Label, string SourcePath, string? Package, string Licence, string Credit, double FocusX = 0.5, double FocusY = 0.5);

namespace VisionPlugin.Imaging;

/// <summary>A file <see cref="ImageFolderDataset.Load"/> could not use, and why ("empty file (0 bytes)", "not a readable PNG image: ...").</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record SkippedFile(string Path, string Reason);

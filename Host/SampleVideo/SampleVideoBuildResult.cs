namespace VisionPlugin.Host.SampleVideo;

/// <summary>What <see cref="SampleVideoCache.EnsureBuilt"/> found or made.</summary>
/// <param name="VideoPath">The video (a file, or the folder of a <see cref="PngFolderSink"/>).</param>
/// <param name="ManifestPath">Its manifest.</param>
/// <param name="Manifest">The manifest's contents.</param>
/// <param name="Built">True when this call built the video; false when an up-to-date one was already there.</param>
/// <param name="Elapsed">Time the call took.</param>
public sealed record SampleVideoBuildResult(string VideoPath, string ManifestPath, SampleVideoManifest Manifest, bool Built, TimeSpan Elapsed);

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// A TensorFlow.js model folder that cannot be imported: malformed <c>model.json</c> / <c>model.min.js</c>, a missing
/// or wrongly sized weight shard, a hostile shape, a weight that does not fit its layer, or Keras layers this
/// importer does not support. The message names the file (and the layer or weight) at fault. An <see cref="IOException"/>
/// (the framework's <see cref="InvalidDataException"/> is sealed), so <c>catch (IOException)</c> covers it with missing files.
/// </summary>
public sealed class TfJsFormatException : IOException
{
    public TfJsFormatException(string filePath, string message) : base($"{filePath}: {message}") => FilePath = filePath;

    public TfJsFormatException(string filePath, string message, Exception inner) : base($"{filePath}: {message}", inner) => FilePath = filePath;

    /// <summary>The file the problem was found in.</summary>
    public string FilePath { get; }
}

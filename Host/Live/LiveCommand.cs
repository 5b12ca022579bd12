namespace VisionPlugin.Host.Live;

/// <summary>What the user (a key press, or the scripted session pressing keys for them) asks the live session to do.</summary>
internal abstract record LiveCommand
{
    /// <summary>Keys 1-9: capture the current frame as a sample of class <paramref name="Key"/>.</summary>
    public sealed record Capture(int Key) : LiveCommand;

    /// <summary>N: name class <paramref name="Key"/> (the window collects the typed name; Enter confirms).</summary>
    public sealed record NameClass(int Key, string Name) : LiveCommand;

    /// <summary>T: train (again) on the captured samples, in time slices.</summary>
    public sealed record Train : LiveCommand;

    /// <summary>S: save the session (checkpoint of the fine-tuned network, classes, preprocessing).</summary>
    public sealed record Save : LiveCommand;

    /// <summary>E: export the fine-tuned network as ONNX.</summary>
    public sealed record Export : LiveCommand;

    /// <summary>R: forget every class and sample.</summary>
    public sealed record Reset : LiveCommand;

    /// <summary>H: show or hide the help panel.</summary>
    public sealed record ToggleHelp : LiveCommand;
}

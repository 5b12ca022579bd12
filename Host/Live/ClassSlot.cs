namespace VisionPlugin.Host.Live;

/// <summary>A class of the live session as the user sees it: the number key that captures it, its name, its samples.</summary>
/// <param name="Key">1-9.</param>
/// <param name="Name">Class name (default "class k"; renamed with N).</param>
/// <param name="SampleCount">Captured samples.</param>
internal sealed record ClassSlot(int Key, string Name, int SampleCount);

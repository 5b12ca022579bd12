namespace VisionPlugin.Host.Bench;

/// <summary>One selectable part of <c>bench</c> (<c>--only NAME,...</c>): our figures beside the peers', verified first.</summary>
internal interface IBenchSection
{
    /// <summary>The name <c>--only</c> takes and the JSON key.</summary>
    string Name { get; }
    string Title { get; }
    SectionResult Run(BenchRun run);
}

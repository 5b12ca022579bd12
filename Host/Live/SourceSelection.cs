using System.Diagnostics;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.SampleVideo;

namespace VisionPlugin.Host.Live;

/// <summary>The source a live run plays, and the labelled timeline when it is the sample video.</summary>
/// <param name="Spec">What to open.</param>
/// <param name="Timeline">Segments of the sample video (drives the scripted session), else null.</param>
/// <param name="Notice">What the user should know about the choice ("No camera found; playing the sample video").</param>
internal sealed record SelectedSource(SourceSpec Spec, SegmentTimeline? Timeline, string? Notice);

/// <summary>Resolves "auto", "sample" and the rest of the --source forms.</summary>
internal static class SourceSelection
{
    public static SelectedSource Select(LiveAppOptions options, TextWriter log)
    {
        string text = options.Source.Trim();
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            if (CameraDelivers(0, options.CameraProbe)) return new SelectedSource(SourceSpec.Camera(0), null, null);
            string notice = "No camera found (camera 0 could not be opened); playing the sample video with a scripted fine-tuning session.";
            log.WriteLine(notice);
            return Sample(options, log, notice);
        }
        if (text.Equals(SourceSpec.SampleKeyword, StringComparison.OrdinalIgnoreCase)) return Sample(options, log, null);
        return new SelectedSource(SourceSpec.Parse(text), null, null);
    }

    /// <summary>Builds (once) and returns the sample video and its segment timeline.</summary>
    public static SelectedSource Sample(LiveAppOptions options, TextWriter log, string? notice)
    {
        SampleVideoBuildResult video = SampleVideoCache.EnsureBuilt(options.SampleDirectory, "sample.mp4", path => new Mp4SampleVideoSink(path), log: log);
        SampleVideoManifest manifest = video.Manifest;
        var timeline = new SegmentTimeline([.. manifest.Segments.Select(s => new LabelledSegment(s.Label, s.FirstFrame, s.LastFrame))], manifest.CaptureFraction);
        return new SelectedSource(SourceSpec.Parse(video.VideoPath), timeline, notice);
    }

    /// <summary>Camera <paramref name="index"/> delivers a frame within <paramref name="probe"/>.</summary>
    private static bool CameraDelivers(int index, TimeSpan probe)
    {
        using var worker = new CaptureWorker(SourceSpec.Camera(index), new CaptureOptions { ReconnectInitialDelay = TimeSpan.FromSeconds(10) });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < probe)
        {
            if (worker.Status.State == CaptureState.Running && worker.Status.FramesRead > 0) return true;
            if (worker.Status.State is CaptureState.Failed or CaptureState.Reconnecting) return false;
            Thread.Sleep(20);
        }
        return false;
    }
}

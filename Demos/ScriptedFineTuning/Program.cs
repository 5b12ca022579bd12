// Scripted fine-tuning: teach the pretrained MobileNetV2 the classes of a labelled video (the sample video:
// segments of different scenes) or of class folders, then measure accuracy on what it did not see.
//   dotnet run --project Demos/ScriptedFineTuning -- [sample | <folder with one subfolder per class>] [--epochs N]
using VisionPlugin;
using VisionPlugin.Classification;
using VisionPlugin.FineTuning;
using VisionPlugin.Host.Capture;
using VisionPlugin.Host.SampleVideo;

string input = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "sample";
int epochs = args.SkipWhile(a => a != "--epochs").Skip(1).Select(int.Parse).FirstOrDefault(15);
OpenCvImageDecoder.Register(); // JPEG and friends for image folders
using var runtime = VisionRuntime.CreateHeadless();
var options = new FineTuneOptions { Epochs = epochs, ValidationSplit = 0 };

FineTuneSession session;
var test = new List<(Frame Frame, int Class)>();
if (input == "sample")
{
    // Capture every 3rd frame of the first part of each segment; keep every 5th later frame for testing.
    var video = SampleVideoCache.EnsureBuilt(null, "sample.mp4", path => new Mp4SampleVideoSink(path), log: Console.Out);
    SampleVideoManifest manifest = video.Manifest;
    session = FineTuneSession.Create(runtime, manifest.Labels, options);
    using var worker = new CaptureWorker(SourceSpec.Parse(video.VideoPath), new CaptureOptions { Lossless = true });
    while (worker.Frames.WaitToTake(TimeSpan.FromSeconds(5)) is { } frame)
    {
        using (frame)
        {
            int index = frame.SourceFrameIndex, label = manifest.Labels.ToList().IndexOf(manifest.LabelAt(index));
            if (manifest.IsCaptureFrame(index) && index % 3 == 0) session.AddSample(frame.AsPluginFrame(), label);
            else if (!manifest.IsCaptureFrame(index) && index % 5 == 0) test.Add((Frame.Packed(frame.Pixels.ToArray(), frame.Width, frame.Height, frame.AsPluginFrame().Format), label));
        }
    }
}
else
{
    // Class folders: the session takes every readable image (80 % train, 20 % held out by the session itself).
    session = FineTuneSession.FromFolder(runtime, input, options with { ValidationSplit = 0.2 });
}

Console.WriteLine($"classes: {string.Join(", ", session.Classes.Select((c, i) => $"{c} ({session.SampleCounts[i]} samples)"))}");
session.EpochCompleted += e => Console.WriteLine($"epoch {e.Epoch,2}: loss {e.TrainLoss:F3}, train {e.TrainAccuracy:P0}" + (e.ValidationAccuracy is { } v ? $", held-out {v:P0}" : ""));
session.Train();

Classifier classifier = session.ToClassifier(); // shares the session's network: dispose it first
int correct = test.Count(t => classifier.Classify(t.Frame, topK: 1)[0].ClassIndex == t.Class);
if (test.Count > 0) Console.WriteLine($"accuracy on {test.Count} later frames of the segments: {correct}/{test.Count} = {correct / (double)test.Count:P1}");
classifier.Dispose();
session.Dispose();

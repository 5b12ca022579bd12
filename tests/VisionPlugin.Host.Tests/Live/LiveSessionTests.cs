using VisionPlugin.Classification;
using VisionPlugin.FineTuning;
using VisionPlugin.Host.Live;

namespace VisionPlugin.Host.Tests.Live;

/// <summary>
/// The live session driven as a user would with keys, on a synthetic labelled video and the real pretrained
/// backbone: name + capture per segment, train in frame-sized slices, then classify live and score.
/// </summary>
[Collection("HeadlessGl")]
public sealed class LiveSessionTests(HeadlessGlFixture gpu)
{
    private static LiveSessionOptions Options(string output) => new()
    {
        OutputDirectory = output,
        FineTune = new FineTuneOptions { Epochs = 12, ValidationSplit = 0, BatchSize = 8, Seed = 3 },
    };

    [Fact]
    public void ScriptedSessionCapturesTrainsInSlicesAndClassifiesTheRestAccurately()
    {
        const int framesPerSegment = 12;
        string output = Path.Combine(Path.GetTempPath(), "vp-live-" + Guid.NewGuid().ToString("N"));
        var result = gpu.Run(context =>
        {
            using var runtime = VisionRuntime.Wrap(context);
            using var session = new LiveSession(runtime, Options(output));
            var script = new ScriptedSession(SyntheticVideo.Timeline(framesPerSegment, 0.5), captureEvery: 2);
            Assert.Null(session.Predictions); // nothing trained: the backbone's own head is never shown
            int trainingFrames = 0, sequence = 0;
            for (int loop = 0; loop < 12 && script.Phase != ScriptPhase.Done; loop++)
                for (int f = 0; f < framesPerSegment * 3 && script.Phase != ScriptPhase.Done; f++)
                {
                    Frame frame = SyntheticVideo.FrameOf(f / framesPerSegment, f);
                    foreach (LiveCommand command in script.OnFrame(f, session)) session.Handle(command, frame);
                    if (session.IsTraining) trainingFrames++;
                    long before = session.PredictionCount;
                    if (script.Phase == ScriptPhase.Evaluating && script.IsEvaluationFrame(f)) session.ClassifyNow(frame, ++sequence, f);
                    else session.Work(frame, ++sequence, f, TimeSpan.FromMilliseconds(30));
                    if (session.PredictionCount > before) script.OnPrediction(session.PredictionFrameIndex, session.Predictions![0]);
                }
            return (script.Phase, script.Accuracy.Correct, script.Accuracy.Total, script.Captured, trainingFrames,
                Classes: session.Classes.Select(c => (c.Key, c.Name, c.SampleCount)).ToArray(), session.SessionFolder);
        });
        Assert.Equal(ScriptPhase.Done, result.Phase);
        Assert.Equal([(1, "red stripes", 3), (2, "green checks", 3), (3, "blue rings", 3)], result.Classes);
        Assert.Equal(9, result.Captured);
        Assert.True(result.trainingFrames >= 3, $"training ran in {result.trainingFrames} frame slices; expected it spread over several frames");
        Assert.Equal(18, result.Total); // 6 evaluation frames per segment, each scored once
        Assert.True(result.Correct >= 15, $"live accuracy {result.Correct}/{result.Total} on clearly different patterns");
        Assert.True(File.Exists(Path.Combine(result.SessionFolder, "session.json")) || Directory.EnumerateFiles(result.SessionFolder, "*", SearchOption.AllDirectories).Any(),
            $"the session folder {result.SessionFolder} holds the captured samples");
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void TrainingIsRefusedWithAClearMessageUntilEveryClassHasSamples()
    {
        string output = Path.Combine(Path.GetTempPath(), "vp-live-" + Guid.NewGuid().ToString("N"));
        var messages = gpu.Run(context =>
        {
            using var runtime = VisionRuntime.Wrap(context);
            using var session = new LiveSession(runtime, Options(output));
            var said = new List<string?>();
            session.Handle(new LiveCommand.Train(), null);
            said.Add(session.Message);
            session.Handle(new LiveCommand.Capture(1), SyntheticVideo.FrameOf(0, 0));
            session.Handle(new LiveCommand.NameClass(2, "green checks"), null);
            session.Handle(new LiveCommand.Train(), null);
            said.Add(session.Message);
            session.Handle(new LiveCommand.Save(), null);
            said.Add(session.Message);
            session.Handle(new LiveCommand.Capture(4), null);
            said.Add(session.Message);
            said.Add(session.IsTraining.ToString());
            return said;
        });
        Assert.Contains("at least two classes", messages[0]);
        Assert.Contains("'green checks' has no samples", messages[1]);
        Assert.Contains("press 2", messages[1]);
        Assert.Contains("Nothing to save", messages[2]);
        Assert.Contains("No frame", messages[3]);
        Assert.Equal("False", messages[4]);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
    }
}

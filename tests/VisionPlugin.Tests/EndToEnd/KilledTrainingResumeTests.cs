using System.Diagnostics;
using VisionPlugin.Engine.Checkpoints;

namespace VisionPlugin.Tests.EndToEnd;

/// <summary>
/// A training process killed with SIGKILL in the middle of an epoch leaves its last checkpoint
/// intact, and a run resumed from it ends with exactly the weights of a run that was never killed.
/// </summary>
public sealed class KilledTrainingResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("visionplugin-kill-").FullName;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private string[] TrainArgs(string checkpoint, string output, bool resume) =>
    [
        "train", "--arch", "lenet5", "--limit", "1800", "--test-limit", "300", "--epochs", "3", "--batch", "60", "--seed", "5",
        "--checkpoint", Path.Combine(_folder, checkpoint), "--out", Path.Combine(_folder, output), .. resume ? new[] { "--resume" } : [],
    ];

    [Fact]
    public void Sigkill_mid_training_then_resume_matches_an_uninterrupted_run()
    {
        // 1. The uninterrupted reference run.
        var (code, _, stderr) = HostProcess.Run(_folder, Limit, TrainArgs("straight.ckpt", "straight", resume: false));
        Assert.True(code == 0, stderr);

        // 2. The same run, killed with SIGKILL as soon as its first checkpoint exists (inside epoch 2).
        string killedCheckpoint = Path.Combine(_folder, "killed.ckpt");
        using (Process victim = Process.Start(HostProcess.StartInfo(_folder, TrainArgs("killed.ckpt", "killed", resume: false)))!)
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(killedCheckpoint) && !victim.HasExited && clock.Elapsed < Limit) Thread.Sleep(10);
            Assert.False(victim.HasExited, "the training process ended before it could be killed");
            Thread.Sleep(150); // into the next epoch
            victim.Kill(); // SIGKILL on Linux: no cleanup code runs
            victim.WaitForExit();
        }
        int finished = Checkpoint.Load(killedCheckpoint).Metadata["finished_epochs"]!.GetValue<int>();
        Assert.InRange(finished, 1, 2);

        // 3. Resume the killed run to the end.
        (code, string stdout, stderr) = HostProcess.Run(_folder, Limit, TrainArgs("killed.ckpt", "killed", resume: true));
        Assert.True(code == 0, stderr);
        Assert.Contains($"after epoch {finished}", stdout);

        Checkpoint straight = Checkpoint.Load(Path.Combine(_folder, "straight", "model.ckpt"));
        Checkpoint resumed = Checkpoint.Load(Path.Combine(_folder, "killed", "model.ckpt"));
        Assert.Equal(straight.Names, resumed.Names);
        foreach (string name in straight.Names)
            Assert.True(straight[name].Values.AsSpan().SequenceEqual(resumed[name].Values), $"tensor {name} differs after resume");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

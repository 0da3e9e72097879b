using Atelier.Runs;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

public sealed class CheckpointFaultTests
{
    [Fact]
    public void A_full_disk_during_a_checkpoint_stops_training_with_the_folder_and_space_named_and_resume_continues_exactly()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(), steps: 6).WithSchedule(s => s with { CheckpointEvery = 2, KeepCheckpoints = 5 });
        var straight = TinyRuns.Train(Path.Combine(temp.Path, "straight"), options);

        var faulty = Path.Combine(temp.Path, "faulty");
        int writes = 0;
        CheckpointStore.BeforePartWrite = path =>
        {
            // Only this test's run: other tests write checkpoints at the same time.
            if (path.StartsWith(faulty, StringComparison.Ordinal) && path.Contains(".step-000004.", StringComparison.Ordinal) && ++writes == 2)
                throw new IOException("No space left on device");
        };
        CheckpointWriteException e;
        try
        {
            e = Assert.Throws<CheckpointWriteException>(() => TinyRuns.Train(faulty, options));
        }
        finally
        {
            CheckpointStore.BeforePartWrite = null;
        }
        var run = new RunFolder(faulty);
        Assert.Contains(run.Checkpoints.Directory, e.Message);
        Assert.Contains("checkpoint of step 4 could not be written (No space left on device)", e.Message);
        Assert.Matches(@"needs about \d+\.\d MB", e.Message);
        Assert.Contains("--resume", e.Message);
        // The earlier checkpoints are whole, the half-written one is gone, nothing temporary is left.
        Assert.Equal([0L, 2L], run.Checkpoints.List().Select(c => CheckpointStore.ReadManifest(c.Path).Step));
        Assert.Empty(Directory.GetDirectories(run.Checkpoints.Directory, ".step-*"));

        // With space again, resume continues from step 2 and ends where an uninterrupted run ends.
        var resumed = TinyRuns.Train(faulty, options);
        Assert.Equal(TrainingOutcome.Completed, resumed.Outcome);
        Assert.Equal(CheckpointStore.ReadManifest(straight.Checkpoint!).Files, CheckpointStore.ReadManifest(resumed.Checkpoint!).Files);
    }
}

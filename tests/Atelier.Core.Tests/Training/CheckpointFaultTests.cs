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

public sealed class HealthyCheckpointTests
{
    [Fact]
    public void Checkpoints_record_whether_the_run_was_healthy_and_rollback_and_pruning_keep_the_last_healthy_one()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(), steps: 4).WithSchedule(s => s with { CheckpointEvery = 1, KeepCheckpoints = 10 });
        var result = TinyRuns.Train(temp.Path, options);
        var store = new RunFolder(temp.Path).Checkpoints;
        Assert.All(store.List(), c => Assert.True(CheckpointStore.ReadManifest(c.Path).Healthy));

        // Mark steps 3 and 4 as written inside a collapse: the last healthy one is step 2, and pruning to one keeps it.
        foreach (var step in new[] { 3L, 4L })
        {
            var manifest = Path.Combine(store.PathFor(step), CheckpointStore.ManifestName);
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"healthy\": true", "\"healthy\": false", StringComparison.Ordinal));
            CheckpointStore.Reseal(store.PathFor(step)); // a deliberate edit: the seal would refuse it otherwise
            Assert.False(CheckpointStore.ReadManifest(store.PathFor(step)).Healthy);
        }
        Assert.Equal(store.PathFor(2), store.LatestHealthy());
        store.Prune(1, keepLatestHealthy: true);
        Assert.Equal([2L, 4L], store.List().Select(c => c.Step));
        Assert.NotNull(result.Checkpoint);
    }

    [Fact]
    public void A_checkpoint_whose_weights_are_not_finite_is_refused_even_when_its_hashes_match()
    {
        using var temp = new TempFolder();
        var result = TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), steps: 1));
        var checkpoint = result.Checkpoint!;
        var file = Path.Combine(checkpoint, CheckpointFiles.FileName(CheckpointFiles.Average));
        var tensors = SafetensorsFormat.Load(file);
        var name = tensors.Keys.First(k => k.EndsWith("weight", StringComparison.Ordinal));
        tensors[name].view(-1)[0] = TorchSharp.torch.tensor(float.NaN);
        using (var stream = File.Create(file)) SafetensorsFormat.Write(stream, tensors);
        // The manifest is brought up to date, so only the finiteness check can catch it.
        var manifest = Path.Combine(checkpoint, CheckpointStore.ManifestName);
        var old = CheckpointStore.ReadManifest(checkpoint, verifyFiles: false).Files[CheckpointFiles.FileName(CheckpointFiles.Average)];
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(old, CheckpointStore.Sha256(file), StringComparison.Ordinal));
        CheckpointStore.Reseal(checkpoint);
        var e = Assert.Throws<CorruptCheckpointException>(() => Atelier.Sampling.TrainedGenerator.Load(checkpoint).Dispose());
        Assert.Contains($"{name} holds values that are not finite numbers", e.Message);
    }

    [Theory]
    [InlineData(150, 300, 50)]
    [InlineData(1000, 300, 100)]
    [InlineData(4000, 300, 300)]
    [InlineData(20, 300, 50)]
    [InlineData(100_000, 300, 300)]
    [InlineData(150, 5, 5)]
    public void The_divergence_window_is_at_most_a_tenth_of_the_run_and_at_least_50_steps(long steps, int window, int effective) =>
        Assert.Equal(effective, new ScheduleOptions { Steps = steps, DivergenceWindow = window }.EffectiveDivergenceWindow);

    [Fact]
    public void A_manifest_edited_by_hand_and_a_weight_file_with_a_broken_structure_are_named_corrupt_never_a_crash()
    {
        using var temp = new TempFolder();
        var result = TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), steps: 2).WithSchedule(s => s with { CheckpointEvery = 1 }));
        var store = new RunFolder(temp.Path).Checkpoints;
        Assert.True(File.Exists(Path.Combine(result.Checkpoint!, CheckpointStore.SealName)));

        // An edited step: refused by the seal, and (resealed) by the folder's name.
        var checkpoint = store.PathFor(2);
        var manifest = Path.Combine(checkpoint, CheckpointStore.ManifestName);
        var original = File.ReadAllText(manifest);
        File.WriteAllText(manifest, original.Replace("\"step\": 2,", "\"step\": 1,", StringComparison.Ordinal));
        Assert.Contains("does not match its SHA-256 in manifest.sha256", Assert.Throws<CorruptCheckpointException>(() => CheckpointStore.ReadManifest(checkpoint)).Message);
        CheckpointStore.Reseal(checkpoint);
        Assert.Contains("says step 1, but its folder is step-000002", Assert.Throws<CorruptCheckpointException>(() => CheckpointStore.ReadManifest(checkpoint)).Message);
        File.WriteAllText(manifest, original);
        CheckpointStore.Reseal(checkpoint);
        Assert.Equal(2, CheckpointStore.ReadManifest(checkpoint).Step);

        // A safetensors header that claims more than the file holds, with the hashes brought up to date.
        var file = Path.Combine(checkpoint, CheckpointFiles.FileName(CheckpointFiles.Average));
        var bytes = File.ReadAllBytes(file);
        BitConverter.GetBytes(long.MaxValue - 7).CopyTo(bytes, 0);
        File.WriteAllBytes(file, bytes);
        var oldHash = CheckpointStore.ReadManifest(checkpoint, verifyFiles: false).Files[CheckpointFiles.FileName(CheckpointFiles.Average)];
        File.WriteAllText(manifest, original.Replace(oldHash, CheckpointStore.Sha256(file), StringComparison.Ordinal));
        CheckpointStore.Reseal(checkpoint);
        Assert.Contains("not a readable safetensors file", Assert.Throws<CorruptCheckpointException>(() => Atelier.Sampling.TrainedGenerator.Load(checkpoint).Dispose()).Message);
    }
}

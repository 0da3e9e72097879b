using Atelier.Objectives;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Training;

public sealed class TrainerTests
{
    private static Dictionary<string, Tensor> Weights(string run, long step, string file) =>
        CheckpointStore.ReadTensors(new RunFolder(run).Checkpoints.PathFor(step), file);

    [Theory]
    [InlineData("dcgan", 28, 1)]
    [InlineData("dcgan", 32, 3)]
    [InlineData("classic", 28, 1)]
    public void One_step_changes_every_trainable_parameter_and_keeps_losses_finite(string architecture, int resolution, int channels)
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(architecture, resolution, channels), steps: 1);
        var result = TinyRuns.Train(temp.Path, options);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        foreach (var file in new[] { CheckpointFiles.Generator, CheckpointFiles.Discriminator })
        {
            var before = Weights(temp.Path, 0, file);
            var after = Weights(temp.Path, 1, file);
            foreach (var (name, value) in before.Where(kv => !kv.Key.Contains("running") && !kv.Key.Contains("num_batches")))
                Assert.False(value.equal(after[name]).all().item<bool>(), $"{file}:{name} did not change");
        }
        var row = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile).Single();
        Assert.True(double.IsFinite(row["lossD"]!.GetValue<double>()));
        Assert.True(double.IsFinite(row["lossG"]!.GetValue<double>()));
    }

    [Fact]
    public void Resumed_training_is_bit_identical_to_straight_training()
    {
        using var temp = new TempFolder();
        var straight = Path.Combine(temp.Path, "straight");
        var split = Path.Combine(temp.Path, "split");
        var options = TinyRuns.Options(TinyRuns.Model("dcgan", 32, 3), steps: 12)
            .WithGame(g => g with { DiscriminatorSteps = 2 })
            .WithSchedule(s => s with { SampleEvery = 5 });
        TinyRuns.Train(straight, options);
        TinyRuns.Train(split, options.WithSchedule(s => s with { Steps = 6 }));
        TinyRuns.Train(split, options); // continues from step 6 to 12
        var a = CheckpointStore.ReadManifest(new RunFolder(straight).Checkpoints.PathFor(12));
        var b = CheckpointStore.ReadManifest(new RunFolder(split).Checkpoints.PathFor(12));
        foreach (var part in new[] { CheckpointFiles.Generator, CheckpointFiles.Discriminator, CheckpointFiles.Average, CheckpointFiles.Optimizers })
            Assert.True(a.Files[CheckpointFiles.FileName(part)] == b.Files[CheckpointFiles.FileName(part)], $"{part} differs after resume");
        // The metrics log has each step once, and the same losses.
        var la = MetricsLog.Read(new RunFolder(straight).MetricsFile).Select(r => r["lossD"]!.GetValue<double>()).ToList();
        var lb = MetricsLog.Read(new RunFolder(split).MetricsFile).Select(r => r["lossD"]!.GetValue<double>()).ToList();
        Assert.Equal(la, lb);
    }

    [Fact]
    public void A_crash_while_writing_leaves_the_previous_checkpoint_loadable()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(), steps: 2);
        TinyRuns.Train(temp.Path, options);
        var store = new RunFolder(temp.Path).Checkpoints;
        var good = store.Latest();
        Assert.EndsWith("step-000002", good);
        using (var networks = new GanNetworks(options, CPU))
        {
            // The manifest callback runs after the weights are written: throwing there is a crash mid-checkpoint.
            // It is reported as a checkpoint that could not be written, naming the folder and the cause.
            var e = Assert.Throws<CheckpointWriteException>(() => store.Write(3, networks.StateFiles(), _ => throw new IOException("power cut")));
            Assert.Contains($"{store.Directory}: the checkpoint of step 3 could not be written (power cut)", e.Message);
        }
        // A kill -9 leaves a half-written temporary folder behind: make one by hand too.
        var leftover = Directory.CreateDirectory(Path.Combine(store.Directory, ".step-000004.999.dead.tmp")).FullName;
        File.WriteAllBytes(Path.Combine(leftover, CheckpointFiles.FileName(CheckpointFiles.Generator)), [1, 2, 3]);
        Assert.Equal(good, store.Latest());
        using var generator = TrainedGenerator.Load(store.Latest()!);
        Assert.Equal(2, generator.Manifest.Step);
        store.Prune(3);
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public void Corrupted_weights_are_detected_by_their_hash()
    {
        using var temp = new TempFolder();
        TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), steps: 1));
        var checkpoint = new RunFolder(temp.Path).Checkpoints.Latest()!;
        var file = Path.Combine(checkpoint, CheckpointFiles.FileName(CheckpointFiles.Generator));
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainedGenerator.Load(checkpoint));
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void Divergence_guard_rolls_back_on_an_injected_nan_and_lowers_the_learning_rate()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(), steps: 8).WithSchedule(s => s with { CheckpointEvery = 3 });
        bool poisoned = false;
        var result = TinyRuns.Train(temp.Path, options, beforeStep: (n, step) =>
        {
            if (step != 5 || poisoned) return;
            poisoned = true;
            using var noGrad = no_grad();
            n.Discriminator.parameters().First().fill_(float.NaN);
        });
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile);
        var rollback = Assert.Single(rows, r => r["event"]?.GetValue<string>() == "rollback");
        Assert.Equal(3, rollback["to"]!.GetValue<long>());
        Assert.Equal(0.5, rollback["lrScale"]!.GetValue<double>());
        var manifest = CheckpointStore.ReadManifest(new RunFolder(temp.Path).Checkpoints.Latest()!);
        Assert.Equal(8, manifest.Step);
        Assert.Equal(0.5, manifest.LearningRateScale);
        Assert.Equal(1, manifest.Rollbacks);
        Assert.Equal(options.Optimization.LearningRate * 0.5, rows.Last(r => r["lr"] is not null)["lr"]!.GetValue<double>(), 12);
        var weights = Weights(temp.Path, 8, CheckpointFiles.Discriminator);
        Assert.All(weights.Values, t => Assert.False(t.isnan().any().item<bool>()));
    }

    /// <summary>
    /// A generator that cannot learn (its learning rate ~0) against a fast discriminator: the discriminator wins outright
    /// in every game's own terms, and the guard must see it, not only in the cross-entropy games.
    /// </summary>
    [Theory]
    [InlineData(Objective.Hinge, "the hinge loss is 0")]
    [InlineData(Objective.LeastSquares, "mean (D(x) - 1)^2 < 0.01")]
    [InlineData(Objective.NonSaturating, "D(x) > 0.99")]
    [InlineData(Objective.Wgan, "separates the batches")]
    public void Divergence_guard_rolls_back_when_the_discriminator_wins_outright(Objective objective, string condition)
    {
        using var temp = new TempFolder();
        var model = TinyRuns.Model();
        var options = (TrainingOptions.ForObjective("blobs", model, objective) with { Threads = 2 })
            .WithOptimization(p => p with { BatchSize = 8, GeneratorLearningRate = 1e-9, DiscriminatorLearningRate = 0.02 })
            .WithSchedule(s => s with { Steps = 300, SampleEvery = 0, CheckpointEvery = 10, SampleCount = 4, DivergenceWindow = 5, MaxRollbacks = 1 });
        var result = TinyRuns.Train(temp.Path, options);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile);
        var rollback = Assert.Single(rows, r => r["event"]?.GetValue<string>() == "rollback");
        Assert.Contains("won outright for 5 steps", rollback["reason"]!.GetValue<string>());
        Assert.Contains(condition, rollback["reason"]!.GetValue<string>());
        Assert.Equal(0, rollback["to"]!.GetValue<long>() % 10); // back to a checkpoint
        Assert.Equal(TrainingOutcome.Diverged, result.Outcome); // it wins again at half the rate: one rollback allowed, then a stop
        Assert.Contains("1 rollbacks", result.Message);
    }

    [Fact]
    public void Divergence_guard_stops_after_three_rollbacks()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(TinyRuns.Model(), steps: 6).WithSchedule(s => s with { CheckpointEvery = 2 });
        var result = TinyRuns.Train(temp.Path, options, beforeStep: (n, step) =>
        {
            if (step < 3) return;
            using var noGrad = no_grad();
            n.Discriminator.parameters().First().fill_(float.NaN);
        });
        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Contains("3 rollbacks", result.Message);
        Assert.Contains("step-000002", result.Message);
        Assert.Equal(3, MetricsLog.Read(new RunFolder(temp.Path).MetricsFile).Count(r => r["event"]?.GetValue<string>() == "rollback"));
    }

    [Fact]
    public void Generation_is_deterministic_and_independent_of_the_other_seeds()
    {
        using var temp = new TempFolder();
        TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model("dcgan", 32, 3), steps: 3));
        var checkpoint = TrainedGenerator.ResolveCheckpoint(temp.Path);
        using var a = TrainedGenerator.Load(checkpoint);
        using var b = TrainedGenerator.Load(checkpoint);
        var first = a.Generate([1, 2, 3]);
        Assert.Equal(first, b.Generate([1, 2, 3]));
        var alone = a.Generate([3]);
        int per = 3 * 32 * 32;
        for (int i = 0; i < per; i++) Assert.True(Math.Abs(first[2 * per + i] - alone[i]) < 1e-5, $"pixel {i}: {first[2 * per + i]} vs {alone[i]}");
        Assert.NotEqual(first.AsSpan(0, per).ToArray(), first.AsSpan(per, per).ToArray());
        using var raw = TrainedGenerator.Load(checkpoint, useAverage: false);
        Assert.NotEqual(first, raw.Generate([1, 2, 3]));
    }

    [Fact]
    public void Sample_grids_and_plot_are_written()
    {
        using var temp = new TempFolder();
        var result = TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), steps: 4).WithSchedule(s => s with { SampleEvery = 2 }));
        var run = new RunFolder(temp.Path);
        Assert.True(File.Exists(run.SamplePath(2)));
        Assert.True(File.Exists(run.SamplePath(4)));
        Assert.Equal(run.SamplePath(4), result.LastSample);
        Assert.True(File.Exists(result.Plot));
        Assert.Equal("AI-generated by Atelier", Atelier.Imaging.PngText.Read(File.ReadAllBytes(run.SamplePath(4)))["Comment"]);
    }

    [Fact]
    public void A_sample_grid_shows_exactly_what_the_checkpoint_of_the_same_step_generates()
    {
        // Samples and the checkpoint at one step share one batch-norm calibration of the averaged generator.
        using var temp = new TempFolder();
        var model = TinyRuns.Model();
        TinyRuns.Train(temp.Path, TinyRuns.Options(model, steps: 4)
            .WithSchedule(s => s with { SampleEvery = 2, CheckpointEvery = 2, SampleCount = 4 }));
        var run = new RunFolder(temp.Path);
        foreach (var step in new[] { 2L, 4L })
        {
            using var generator = TrainedGenerator.Load(run.Checkpoints.PathFor(step));
            var pixels = generator.Generate([0, 1, 2, 3]);
            using var expected = Atelier.Imaging.ImageGrid.Compose(pixels, 4, model.Channels, model.Resolution, model.Resolution, new Atelier.Imaging.ImageGridOptions(Scale: 2));
            using var written = Atelier.Imaging.ImageCodec.Decode(run.SamplePath(step));
            Assert.True(expected.GetPixelSpan().SequenceEqual(written.GetPixelSpan()), $"step {step}: the grid differs from the checkpoint's images");
            // ...and that calibration is fresh: calibrating the loaded weights again changes nothing.
            BatchNormCalibration.Calibrate(generator.Network, model.LatentSize, TorchSharp.torch.CPU);
            Assert.Equal(pixels, generator.Generate([0, 1, 2, 3]));
        }
    }

    [Fact]
    public void Checkpoints_are_chosen_by_latest_step_or_name_and_nothing_outside_the_store()
    {
        using var temp = new TempFolder();
        TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), steps: 4).WithSchedule(s => s with { CheckpointEvery = 2 }));
        var store = new RunFolder(temp.Path).Checkpoints;
        Assert.Equal(store.PathFor(4), store.Resolve(null));
        Assert.Equal(store.PathFor(4), store.Resolve("latest"));
        Assert.Equal(store.PathFor(2), store.Resolve("2"));
        Assert.Equal(store.PathFor(2), store.Resolve("step-000002"));
        Assert.Contains("no checkpoint marked best", Assert.Throws<FileNotFoundException>(() => store.Resolve("best")).Message);
        foreach (var bad in new[] { "7", "../..", "..", "/tmp", "step-000002/../step-000004" })
            Assert.Contains("step-000000, step-000002, step-000004", Assert.Throws<FileNotFoundException>(() => store.Resolve(bad)).Message);
        Assert.Contains("no complete checkpoint yet", Assert.Throws<FileNotFoundException>(() => new CheckpointStore(temp.File("none")).Resolve(null)).Message);
    }
}

using Atelier.Models;
using Atelier.Objectives;
using Atelier.Runs;
using Atelier.Training;

namespace Atelier.Core.Tests.Training;

public sealed class ObjectiveTrainingTests
{
    public static TheoryData<Objective> Objectives() => new(Enum.GetValues<Objective>());

    [Theory]
    [MemberData(nameof(Objectives))]
    public void Twenty_steps_of_every_objective_keep_losses_finite(Objective objective)
    {
        using var temp = new TempFolder();
        var options = (TrainingOptions.ForObjective("blobs", TinyRuns.Model(), objective) with { Threads = 2 })
            .WithOptimization(p => p with { BatchSize = 8 })
            .WithSchedule(s => s with { Steps = 20, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 4 });
        var result = TinyRuns.Train(temp.Path, options);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile);
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.True(double.IsFinite(r["lossD"]!.GetValue<double>()) && double.IsFinite(r["lossG"]!.GetValue<double>())));
        if (objective == Objective.Wgan)
        {
            var critic = CheckpointStore.ReadTensors(result.Checkpoint!, CheckpointFiles.Discriminator);
            Assert.All(critic.Where(kv => !kv.Key.Contains("running") && !kv.Key.Contains("num_batches")),
                kv => Assert.True(kv.Value.abs().max().item<float>() <= 0.01f + 1e-7f, $"{kv.Key} escaped the clip"));
        }
    }

    public static TheoryData<string> Techniques() => new() { "feature-matching", "minibatch-discrimination", "historical-averaging", "label-smoothing", "virtual-batchnorm" };

    private static TrainingOptions WithTechnique(TrainingOptions o, string technique) => technique switch
    {
        "feature-matching" => o.WithGame(g => g with { FeatureMatching = true }),
        "minibatch-discrimination" => o with { Model = o.Model with { MinibatchKernels = 16, MinibatchKernelSize = 4 } },
        "historical-averaging" => o.WithGame(g => g with { HistoricalAveraging = 1e-3 }),
        "label-smoothing" => o.WithGame(g => g with { RealLabel = 0.9 }),
        "virtual-batchnorm" => o with { Model = o.Model with { VirtualBatchNorm = true, ReferenceBatchSize = 8 } },
        _ => throw new ArgumentException(technique),
    };

    [Theory]
    [MemberData(nameof(Techniques))]
    public void Twenty_steps_with_each_salimans_technique_keep_losses_finite(string technique)
    {
        using var temp = new TempFolder();
        var options = WithTechnique(TinyRuns.Options(TinyRuns.Model(), steps: 20), technique);
        var result = TinyRuns.Train(temp.Path, options);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile);
        Assert.All(rows, r => Assert.True(double.IsFinite(r["lossD"]!.GetValue<double>()) && double.IsFinite(r["lossG"]!.GetValue<double>())));
        using var generator = Atelier.Sampling.TrainedGenerator.Load(result.Checkpoint!);
        var pixels = generator.Generate([0, 1]);
        Assert.All(pixels, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Resume_is_exact_with_penalties_and_techniques_on()
    {
        using var temp = new TempFolder();
        var model = TinyRuns.Model("dcgan", 32, 3) with { DiscriminatorNormalization = Normalization.Layer, VirtualBatchNorm = true, ReferenceBatchSize = 4 };
        var options = (TrainingOptions.ForObjective("blobs", model, Objective.WganGp) with { Model = model, Threads = 2 })
            .WithOptimization(p => p with { BatchSize = 8 })
            .WithSchedule(s => s with { Steps = 8, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 4 })
            .WithGame(g => g with { FeatureMatching = true, HistoricalAveraging = 1e-3 });
        var straight = Path.Combine(temp.Path, "straight");
        var split = Path.Combine(temp.Path, "split");
        TinyRuns.Train(straight, options);
        TinyRuns.Train(split, options.WithSchedule(s => s with { Steps = 4 }));
        TinyRuns.Train(split, options);
        var a = CheckpointStore.ReadManifest(new RunFolder(straight).Checkpoints.PathFor(8));
        var b = CheckpointStore.ReadManifest(new RunFolder(split).Checkpoints.PathFor(8));
        Assert.Equal(a.Files, b.Files);
    }
}

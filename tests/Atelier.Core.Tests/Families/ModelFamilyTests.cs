using Atelier.Core.Tests.Training;
using Atelier.Models;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Families;

/// <summary>A family from outside Core trains, checkpoints, resumes exactly and generates; its frozen part stays frozen.</summary>
public sealed class ModelFamilyTests
{
    static ModelFamilyTests() => ModelFamilies.Register(new FrozenProbeFamily());

    private static TrainingOptions Options(long steps) =>
        TinyRuns.Options(new ModelOptions(FrozenProbeFamily.FamilyName, 32, 3, LatentSize: 8, GeneratorWidth: 8, DiscriminatorWidth: 8), steps)
            .WithSchedule(s => s with { CheckpointEvery = 3 });

    [Fact]
    public void A_registered_family_trains_checkpoints_resumes_exactly_and_generates()
    {
        using var temp = new TempFolder();
        var straight = Path.Combine(temp.Path, "straight");
        var split = Path.Combine(temp.Path, "split");
        var data = TinyRuns.Data(new ModelOptions("dcgan", 32, 3));
        Assert.Equal(TrainingOutcome.Completed, TinyRuns.Train(straight, Options(6), data).Outcome);
        TinyRuns.Train(split, Options(3), data);
        TinyRuns.Train(split, Options(6), data);
        var a = CheckpointStore.ReadManifest(new RunFolder(straight).Checkpoints.PathFor(6));
        var b = CheckpointStore.ReadManifest(new RunFolder(split).Checkpoints.PathFor(6));
        Assert.Equal(FrozenProbeFamily.FamilyName, a.Family);
        foreach (var (file, hash) in a.Files) Assert.True(hash == b.Files[file], $"{file} differs after resume");

        // The frozen part is identified in the manifest, not stored in the weights, and its weights and batch-norm
        // statistics are what the family built: no optimiser step, no initialisation and no training mode reached it.
        using var fresh = FrozenProbeFamily.RandomFeatures(3);
        Assert.Equal($"random-conv-seed-7:{fresh.WeightsHash}", Assert.Single(a.FrozenWeights, kv => kv.Key == "discriminator.features").Value);
        var checkpoint = new RunFolder(straight).Checkpoints.PathFor(6);
        using var scope = NewDisposeScope();
        var weights = CheckpointStore.ReadTensors(checkpoint, CheckpointFiles.Discriminator);
        Assert.DoesNotContain(weights.Keys, k => k.StartsWith("features.", StringComparison.Ordinal));
        Assert.Contains("head.out.weight", weights.Keys);
        var optimizer = CheckpointStore.ReadTensors(checkpoint, CheckpointFiles.Optimizers);
        int trainable = weights.Count(kv => kv.Key.StartsWith("head.", StringComparison.Ordinal));
        Assert.Equal(trainable * 2, optimizer.Keys.Count(k => k.StartsWith("discriminator.", StringComparison.Ordinal) && !k.EndsWith("step", StringComparison.Ordinal)));

        using var generator = TrainedGenerator.Load(checkpoint);
        var pixels = generator.Generate([0, 1]);
        Assert.Equal(2 * 3 * 32 * 32, pixels.Length);
        Assert.Equal(pixels, generator.Generate([0, 1]));
    }

    [Fact]
    public void The_frozen_part_is_never_trained_initialised_or_put_in_training_mode()
    {
        using var temp = new TempFolder();
        var data = TinyRuns.Data(new ModelOptions("dcgan", 32, 3));
        using var built = FrozenProbeFamily.RandomFeatures(3);
        var before = built.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        string? seen = null;
        TinyRuns.Train(temp.Path, Options(4), data, beforeStep: (n, step) =>
        {
            var (prefix, frozen) = Assert.Single(n.Frozen);
            Assert.Equal("discriminator.features.", prefix);
            Assert.All(frozen.parameters(), p => Assert.False(p.requires_grad));
            n.Train();
            Assert.False(frozen.training);
            if (step == 3)
            {
                var state = frozen.state_dict();
                seen = string.Join(",", before.Where(kv => !kv.Value.equal(state[kv.Key]).all().item<bool>()).Select(kv => kv.Key));
            }
        });
        Assert.Equal("", seen); // weights, and the batch norm's running statistics, untouched after 3 steps
    }
}

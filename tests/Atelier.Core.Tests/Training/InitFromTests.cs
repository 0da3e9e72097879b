using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using Atelier.Training.Recipes;

namespace Atelier.Core.Tests.Training;

/// <summary>--init-from: a new run starts from a parent run's weights, records which, and resumes exactly.</summary>
public sealed class InitFromTests
{
    private static readonly ModelOptions Tiny = TinyRuns.Model() with { DiscriminatorNormalization = Normalization.None };

    private static string Parent(string folder)
    {
        var parent = Path.Combine(folder, "parent");
        TinyRuns.Train(parent, TinyRuns.Options(Tiny, 6) with { Seed = 3 });
        return parent;
    }

    private static Dictionary<string, float[]> Tensors(string checkpoint, string part) =>
        CheckpointStore.ReadTensors(checkpoint, part).ToDictionary(kv => kv.Key, kv => kv.Value.cpu().to(TorchSharp.torch.ScalarType.Float32).data<float>().ToArray());

    [Fact]
    public void A_run_started_from_a_parent_has_its_weights_at_step_zero_and_records_their_hashes()
    {
        using var temp = new TempFolder();
        var parent = Parent(temp.Path);
        var parentCheckpoint = new RunFolder(parent).Checkpoints.Latest()!;
        var parentManifest = CheckpointStore.ReadManifest(parentCheckpoint);
        var weights = InitialWeights.For(parent, Tiny);
        Assert.Equal((parentCheckpoint, 6L), (weights.Checkpoint, weights.Step));
        Assert.Equal("generator-ema.safetensors:" + parentManifest.Files["generator-ema.safetensors"], weights.Average);
        Assert.Equal("generator.safetensors:" + parentManifest.Files["generator.safetensors"], weights.Generator);
        Assert.Equal("discriminator.safetensors:" + parentManifest.Files["discriminator.safetensors"], weights.Discriminator);

        var child = Path.Combine(temp.Path, "child");
        var options = TinyRuns.Options(Tiny, 1) with { Seed = 9, InitFrom = weights };
        TinyRuns.Train(child, options);
        var start = new RunFolder(child).Checkpoints.PathFor(0);
        foreach (var part in new[] { CheckpointFiles.Generator, CheckpointFiles.Average, CheckpointFiles.Discriminator })
        {
            var mine = Tensors(start, part);
            var theirs = Tensors(parentCheckpoint, part);
            Assert.Equal(theirs.Keys.Order(), mine.Keys.Order());
            foreach (var (name, values) in theirs) Assert.Equal(values, mine[name]);
        }
        // The manifest (and options.json) name the parent's files by hash.
        Assert.Equal(weights, CheckpointStore.ReadManifest(start).Training.InitFrom);
        Assert.Equal(weights, new RunFolder(child).LoadOptions().InitFrom);

        // Without --init-from the same seed gives other weights: the parent's really were copied.
        var scratch = Path.Combine(temp.Path, "scratch");
        TinyRuns.Train(scratch, options with { InitFrom = null });
        Assert.NotEqual(Tensors(new RunFolder(scratch).Checkpoints.PathFor(0), CheckpointFiles.Generator).First().Value,
                        Tensors(start, CheckpointFiles.Generator).First().Value);
    }

    [Fact]
    public void A_fine_tuned_run_resumes_exactly()
    {
        using var temp = new TempFolder();
        var options = TinyRuns.Options(Tiny, 8) with { Seed = 9, InitFrom = InitialWeights.For(Parent(temp.Path), Tiny) };
        var (straight, resumed, _) = TinyRuns.StraightAndResumed(temp.Path, options, 3);
        Assert.Equal(straight.Files, resumed.Files);
    }

    [Fact]
    public void The_recipe_takes_the_parents_model_unless_told_otherwise()
    {
        using var temp = new TempFolder();
        var parent = Path.Combine(temp.Path, "parent");
        var model = new ModelOptions("dcgan", 32, 3, LatentSize: 16, GeneratorWidth: 8, DiscriminatorWidth: 8, DiscriminatorNormalization: Normalization.None, SpectralNorm: true);
        TinyRuns.Train(parent, TinyRuns.Options(model, 2), TinyRuns.Data(model));

        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", InitFrom = parent });
        Assert.Equal(model, o.Model);
        Assert.NotNull(o.InitFrom!.Discriminator);
        Assert.Equal(32, TrainingRecipe.ResolutionOf(new TrainingRequest { Data = "procedural:rothko", InitFrom = parent }));

        // A discriminator that does not fit starts fresh; the generator must fit.
        var wider = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", InitFrom = parent, DiscriminatorWidth = 16 });
        Assert.Null(wider.InitFrom!.Discriminator);
        var e = Assert.Throws<OptionException>(() => TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", InitFrom = parent, GeneratorWidth = 16 }));
        Assert.StartsWith("--init-from: the generator of", e.Message);
        Assert.Contains("does not fit this run's (dcgan 32x32x3, latent 16, width 16)", e.Message);
    }

    [Fact]
    public void A_missing_or_changed_parent_is_refused_with_the_flag_named()
    {
        using var temp = new TempFolder();
        var missing = Assert.Throws<OptionException>(() => InitialWeights.For(Path.Combine(temp.Path, "nowhere"), Tiny));
        Assert.StartsWith("--init-from: run folder", missing.Message);

        var parent = Parent(temp.Path);
        var weights = InitialWeights.For(parent, Tiny);
        var file = Path.Combine(weights.Checkpoint, "generator.safetensors");
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 1;
        File.WriteAllBytes(file, bytes);
        var child = Path.Combine(temp.Path, "child");
        var changed = Assert.Throws<OptionException>(() => TinyRuns.Train(child, TinyRuns.Options(Tiny, 2) with { InitFrom = weights }));
        Assert.StartsWith($"--init-from: {weights.Checkpoint}", changed.Message);
    }
}

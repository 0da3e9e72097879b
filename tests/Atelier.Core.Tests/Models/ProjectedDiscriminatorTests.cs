using Atelier.Core.Tests.Training;
using Atelier.Models;
using Atelier.Models.Projected;
using Atelier.Objectives;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public sealed class ProjectedDiscriminatorTests
{
    private static ModelOptions Model(int resolution = 32) =>
        TinyRuns.Model("dcgan", resolution, 3) with { Discriminator = DiscriminatorKind.Projected, DiscriminatorWidth = 8 };

    [Theory]
    [InlineData(64, false, 25 + 25 + 25 + 1)] // maps 32, 16, 8, 4: three 5×5 logit maps and one logit
    [InlineData(32, false, 25 + 25 + 1 + 1)] // maps 16, 8, 4, 2
    [InlineData(32, true, 25 + 25 + 25 + 1)] // upsampled to 64 first
    public void Every_small_discriminator_gives_its_map_of_logits_and_only_they_train(int resolution, bool upsample, int perImage)
    {
        using var d = new ProjectedDiscriminator(Model(resolution) with { ProjectedUpsample = upsample });
        Assert.Equal(perImage, d.LogitsPerImage);
        using var scope = NewDisposeScope();
        var images = (rand(2, 3, resolution, resolution, generator: manual_seed(1)) * 2 - 1).requires_grad_();
        var logits = d.forward(images);
        Assert.Equal([2L * perImage], logits.shape);
        logits.sum().backward();
        // The generator's gradient flows through the frozen network; the frozen network itself gets none.
        Assert.True(images.grad!.abs().sum().item<float>() > 0);
        var (prefix, frozen) = Assert.Single(FrozenModule.In(d));
        Assert.Equal("features.", prefix);
        Assert.StartsWith(ProjectedDiscriminator.FeaturesId + ":", frozen.Id);
        Assert.All(d.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)), p => Assert.True(!p.parameter.requires_grad && p.parameter.grad is null));
        Assert.All(d.named_parameters().Where(p => p.name.StartsWith("heads.", StringComparison.Ordinal)), p => Assert.NotNull(p.parameter.grad));
        // Two builds are the same network: the random mixing has its own fixed seed.
        using var again = new ProjectedDiscriminator(Model(resolution));
        Assert.Equal(frozen.WeightsHash, Assert.Single(FrozenModule.In(again)).Module.WeightsHash);
    }

    [Fact]
    public void It_trains_resumes_exactly_keeps_its_frozen_network_out_of_checkpoints_and_generates()
    {
        using var temp = new TempFolder();
        var options = (TinyRuns.Options(Model(), steps: 4) with { Model = Model() })
            .WithGame(g => g with { Objective = Objective.Hinge })
            .WithAugmentation(a => a with { Mode = AugmentMode.DiffAugment });
        var (a, b, result) = TinyRuns.StraightAndResumed(temp.Path, options, split: 2);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(a.Files, b.Files);
        Assert.StartsWith(ProjectedDiscriminator.FeaturesId + ":", Assert.Single(a.FrozenWeights, kv => kv.Key == "discriminator.features").Value);
        var stored = CheckpointStore.ReadTensors(result.Checkpoint!, CheckpointFiles.Discriminator);
        Assert.Contains(stored.Keys, k => k.StartsWith("heads.", StringComparison.Ordinal));
        Assert.DoesNotContain(stored.Keys, k => k.StartsWith("features.", StringComparison.Ordinal));
        using var generator = TrainedGenerator.Load(result.Checkpoint!);
        Assert.All(generator.Generate([0, 1]), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_recipe_gives_it_its_papers_settings_and_refuses_what_it_cannot_do()
    {
        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Projected });
        Assert.Equal((Objective.Hinge, 0.0, 0.99, AugmentMode.DiffAugment, 2e-4), (o.Game.Objective, o.Optimization.Beta1, o.Optimization.Beta2, o.Augmentation.Mode, o.Optimization.LearningRate));
        var mine = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Projected, Objective = Objective.LeastSquares, Beta1 = 0.5 });
        Assert.Equal((Objective.LeastSquares, 0.5), (mine.Game.Objective, mine.Optimization.Beta1));
        Assert.Equal(DiscriminatorKind.Pixel, TrainingRecipe.Resolve(new TrainingRequest()).Model.Discriminator);
        foreach (var (request, flag) in new (TrainingRequest, string)[]
        {
            (new() { Data = "mnist", Discriminator = DiscriminatorKind.Projected }, "--discriminator projected: 28x28 is too small"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Projected, GradientPenalty = 10 }, "--gradient-penalty"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Projected, FeatureMatching = true }, "--feature-matching"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Projected, MinibatchDiscrimination = true }, "--minibatch-discrimination"),
            (new() { Data = "procedural:rothko", ProjectedUpsample = true }, "--projected-upsample"),
        })
            Assert.StartsWith(flag, Assert.Throws<Atelier.Platform.OptionException>(() => TrainingRecipe.Resolve(request)).Message);
    }

    [Fact]
    public void The_ensemble_weighs_the_pixel_and_projected_discriminators_equally_and_trains_both()
    {
        var model = Model() with { Discriminator = DiscriminatorKind.Ensemble };
        using var d = new EnsembleDiscriminator(model);
        using var projected = new ProjectedDiscriminator(model with { Discriminator = DiscriminatorKind.Projected });
        int k = projected.LogitsPerImage;
        Assert.Equal(2 * k, d.LogitsPerImage);
        using var scope = NewDisposeScope();
        var images = rand(3, 3, 32, 32, generator: manual_seed(2)) * 2 - 1;
        var logits = d.forward(images);
        Assert.Equal([3L * 2 * k], logits.shape);
        // The first 3·K are each image's pixel logit repeated K times: the mean over all logits is the mean of the
        // two discriminators' means.
        var pixel = logits[..(3 * k)].view(3, k);
        Assert.Equal(0f, (pixel - pixel[.., ..1]).abs().max().item<float>());
        var hinge = nn.functional.relu(1 - logits).mean().item<float>();
        var halves = 0.5f * (nn.functional.relu(1 - logits[..(3 * k)]).mean() + nn.functional.relu(1 - logits[(3 * k)..]).mean()).item<float>();
        Assert.Equal(halves, hinge, 5);
        logits.sum().backward();
        Assert.Contains(d.named_parameters(), p => p.name.StartsWith("pixel.", StringComparison.Ordinal) && p.parameter.grad is not null);
        Assert.Contains(d.named_parameters(), p => p.name.StartsWith("projected.heads.", StringComparison.Ordinal) && p.parameter.grad is not null);
        Assert.Equal("projected.features.", Assert.Single(FrozenModule.In(d)).Prefix);

        // Through the recipe it gets the projected discriminator's settings, and it trains and resumes exactly.
        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", Discriminator = DiscriminatorKind.Ensemble });
        Assert.Equal((Objective.Hinge, 0.0, AugmentMode.DiffAugment), (o.Game.Objective, o.Optimization.Beta1, o.Augmentation.Mode));
        using var temp = new TempFolder();
        var options = (TinyRuns.Options(model, steps: 3) with { Model = model }).WithGame(g => g with { Objective = Objective.Hinge });
        var (a, b, result) = TinyRuns.StraightAndResumed(temp.Path, options, split: 1);
        Assert.Equal(a.Files, b.Files);
        Assert.Contains(CheckpointStore.ReadTensors(result.Checkpoint!, CheckpointFiles.Discriminator).Keys, key => key.StartsWith("pixel.", StringComparison.Ordinal));
    }
}

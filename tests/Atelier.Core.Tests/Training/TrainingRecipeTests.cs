using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Training;
using Atelier.Training.Recipes;

namespace Atelier.Core.Tests.Training;

/// <summary>The recipe: paper defaults per objective, then the preset, then explicit settings; data rules from what the data is.</summary>
public sealed class TrainingRecipeTests
{
    [Fact]
    public void The_default_request_is_the_main_job()
    {
        var o = TrainingRecipe.Resolve(new TrainingRequest());
        Assert.Equal(("procedural:kandinsky", 32, 3, 32, 32), (o.Data, o.Model.Resolution, o.Model.Channels, o.Model.GeneratorWidth, o.Model.DiscriminatorWidth));
        Assert.Equal((4000L, 500, 250, 64), (o.Schedule.Steps, o.Schedule.CheckpointEvery, o.Schedule.SampleEvery, o.Optimization.BatchSize));
        Assert.Equal((Objective.NonSaturating, Optimizer.Adam, 2e-4, 0.5, true), (o.Game.Objective, o.Optimization.Optimizer, o.Optimization.LearningRate, o.Optimization.Beta1, o.Augmentation.Flip));
        // The record's own defaults are the same ones: there is one place for them.
        var bare = new TrainingOptions("x", o.Model);
        Assert.Equal((o.Schedule.Steps, o.Schedule.CheckpointEvery, o.Schedule.SampleEvery, o.Optimization.BatchSize), (bare.Schedule.Steps, bare.Schedule.CheckpointEvery, bare.Schedule.SampleEvery, bare.Optimization.BatchSize));
    }

    [Theory]
    [InlineData("mnist", 28, 1, false)] // digits: a flip changes them
    [InlineData("fashion-mnist", 28, 1, true)]
    [InlineData("procedural:rothko", 32, 3, true)]
    public void Resolution_channels_and_flips_follow_from_what_the_dataset_is(string data, int resolution, int channels, bool flip)
    {
        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = data });
        Assert.Equal((resolution, channels, flip), (o.Model.Resolution, o.Model.Channels, o.Augmentation.Flip));
        Assert.Equal(resolution, TrainingRecipe.ResolutionOf(new TrainingRequest { Data = data }));
    }

    [Fact]
    public void A_folder_is_a_folder_whatever_its_name()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "my-mnist-art");
        Directory.CreateDirectory(folder);
        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = folder });
        Assert.Equal((64, 3, true, 64), (o.Model.Resolution, o.Model.Channels, o.Augmentation.Flip, o.Model.GeneratorWidth));
        Assert.Equal(64, TrainingRecipe.ResolutionOf(new TrainingRequest { Data = folder }));
        // A folder called "mnist" in the working directory shadows the dataset, as opening it does.
        Assert.Equal(28, TrainingRecipe.ResolutionOf(new TrainingRequest { Data = "mnist", Model = "dcgan" }));
    }

    [Fact]
    public void The_objective_sets_its_papers_settings_and_explicit_flags_win()
    {
        var wgan = TrainingRecipe.Resolve(new TrainingRequest { Objective = Objective.Wgan });
        Assert.Equal((Optimizer.RmsProp, 5e-5, 5, 0.01, Normalization.Batch), (wgan.Optimization.Optimizer, wgan.Optimization.LearningRate, wgan.Game.DiscriminatorSteps, wgan.Game.WeightClip, wgan.Model.DiscriminatorNormalization));
        var gp = TrainingRecipe.Resolve(new TrainingRequest { Objective = Objective.WganGp, LearningRate = 3e-4, DiscriminatorSteps = 2 });
        Assert.Equal((Optimizer.Adam, 3e-4, 2, 10.0, 0.0, 0.9, Normalization.Layer), (gp.Optimization.Optimizer, gp.Optimization.LearningRate, gp.Game.DiscriminatorSteps, gp.Game.GradientPenalty, gp.Optimization.Beta1, gp.Optimization.Beta2, gp.Model.DiscriminatorNormalization));
    }

    [Fact]
    public void A_preset_sits_between_the_paper_and_the_flags()
    {
        var art = TrainingRecipe.Resolve(new TrainingRequest { Preset = "small-art" });
        Assert.Equal((Objective.Hinge, 64, 32, true, Normalization.None, AugmentMode.DiffAugment, 5000.0, "small-art"),
            (art.Game.Objective, art.Model.Resolution, art.Optimization.BatchSize, art.Model.SpectralNorm, art.Model.DiscriminatorNormalization, art.Augmentation.Mode, art.Optimization.EmaHalfLifeImages, art.Preset));
        var mine = TrainingRecipe.Resolve(new TrainingRequest { Preset = "small-art", Objective = Objective.LeastSquares, Resolution = 32, BatchSize = 16, Augment = AugmentMode.Ada, CriticNorm = Normalization.Layer });
        Assert.Equal((Objective.LeastSquares, 32, 16, Normalization.Layer, AugmentMode.Ada), (mine.Game.Objective, mine.Model.Resolution, mine.Optimization.BatchSize, mine.Model.DiscriminatorNormalization, mine.Augmentation.Mode));
        Assert.Equal(32, TrainingRecipe.ResolutionOf(new TrainingRequest { Preset = "small-art", Resolution = 32 }));
        Assert.Equal(64, TrainingRecipe.ResolutionOf(new TrainingRequest { Preset = "small-art" }));
    }

    [Fact]
    public void Steps_and_epochs_together_are_refused()
    {
        var e = Assert.Throws<OptionException>(() => TrainingRecipe.Resolve(new TrainingRequest { Steps = 10, Epochs = 1 }));
        Assert.Contains("--steps and --epochs", e.Message);
    }

    [Fact]
    public void Epochs_and_classes_come_from_the_opened_data()
    {
        var request = new TrainingRequest { Data = "blobs", Epochs = 2, BatchSize = 8, Conditional = true };
        var options = TrainingRecipe.Resolve(new TrainingRequest { BatchSize = 8 });
        var model = TinyRuns.Model();
        var blobs = TinyRuns.Data(model, count: 20);
        var labelled = new Atelier.Data.ImageSet("blobs", new byte[20 * 28 * 28], 20, 1, 28, Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), ["a", "b"], "labelled-20");
        var withData = TrainingRecipe.WithData(options, request, labelled);
        Assert.Equal(5, withData.Schedule.Steps); // ceil(2 · 20 / 8)
        Assert.Equal(2, withData.Model.Classes);
        Assert.Equal(["a", "b"], withData.ClassNames!);
        var e = Assert.Throws<OptionException>(() => TrainingRecipe.WithData(options, request, blobs));
        Assert.Contains("has no class labels", e.Message);
    }
}

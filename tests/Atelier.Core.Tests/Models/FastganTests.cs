using Atelier.Core.Tests.Training;
using Atelier.Models;
using Atelier.Models.Fastgan;
using Atelier.Platform;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public sealed class FastganTests
{
    private static ModelOptions Model(int resolution = 64, DiscriminatorKind d = DiscriminatorKind.Pixel) =>
        new("fastgan", resolution, 3, LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 8, Discriminator: d);

    [Theory]
    [InlineData(64, 1)] // the 4×4 map gates the 64×64 one
    [InlineData(128, 2)] // and the 8×8 map the 128×128 one
    public void The_generator_makes_images_in_range_with_skip_layer_excitation(int resolution, int gates)
    {
        using var g = new FastganGenerator(Model(resolution));
        Assert.Equal(gates, g.named_modules().Count(m => m.module is FastganExcitation));
        g.eval();
        using var scope = NewDisposeScope();
        var images = g.forward(randn(3, 8, generator: manual_seed(2)));
        Assert.Equal([3, 3, resolution, resolution], images.shape);
        Assert.True(images.abs().max().item<float>() <= 1);
        // z is normalised to unit second moment: a scaled latent gives the same image.
        var same = g.forward(randn(3, 8, generator: manual_seed(2)) * 5);
        Assert.True(images.allclose(same, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(4 * 16, FastganGenerator.Channels(4, 4));
        Assert.Equal(4, FastganGenerator.Channels(128, 4));
    }

    [Theory]
    [InlineData(DiscriminatorKind.Pixel)]
    [InlineData(DiscriminatorKind.Projected)]
    public void It_trains_resumes_exactly_and_generates_with_either_discriminator(DiscriminatorKind d)
    {
        using var temp = new TempFolder();
        var options = (TinyRuns.Options(Model(64, d), steps: 4) with { Model = Model(64, d) })
            .WithOptimization(p => p with { BatchSize = 4 });
        var (a, b, result) = TinyRuns.StraightAndResumed(temp.Path, options, split: 2);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(a.Files, b.Files);
        Assert.Equal("fastgan", a.Family);
        using var generator = TrainedGenerator.Load(result.Checkpoint!);
        var pixels = generator.Generate([0, 1]);
        Assert.Equal(2 * 3 * 64 * 64, pixels.Length);
        Assert.Equal(pixels, generator.Generate([0, 1]));
    }

    [Fact]
    public void The_recipe_picks_a_side_it_builds_and_refuses_what_it_cannot_do()
    {
        Assert.Equal(64, TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:kandinsky", Model = "fastgan" }).Model.Resolution);
        Assert.Contains("fastgan", ModelOptions.Architectures);
        foreach (var (request, flag) in new (TrainingRequest, string)[]
        {
            (new() { Model = "fastgan", Resolution = 32 }, "--resolution: 32 is not supported by fastgan"),
            (new() { Model = "fastgan", Resolution = 256 }, "--resolution 256"),
            (new() { Model = "fastgan", VirtualBatchNorm = true }, "--virtual-batchnorm"),
        })
            Assert.StartsWith(flag, Assert.Throws<OptionException>(() => TrainingRecipe.Resolve(request)).Message);
        Assert.Equal(256, TrainingRecipe.Resolve(new TrainingRequest { Model = "fastgan", Resolution = 256, Discriminator = DiscriminatorKind.Projected }).Model.Resolution);
    }
}

using Atelier.Core.Tests.Training;
using Atelier.Models;
using Atelier.Models.Fastgan;
using Atelier.Models.Pretrained;
using Atelier.Objectives;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public sealed class SelfSupervisedDiscriminatorTests
{
    private static ModelOptions Model(int resolution = 32, int channels = 3) =>
        TinyRuns.Model("dcgan", resolution, channels) with { Discriminator = DiscriminatorKind.SelfSupervised, DiscriminatorWidth = 8 };

    [Theory]
    [InlineData(32, 3, 0)]
    [InlineData(64, 3, 3)]
    [InlineData(64, 1, 1)]
    [InlineData(128, 3, 2)]
    public void Both_paths_give_5x5_logits_and_the_decoders_rebuild_the_half_size_image_and_the_chosen_quadrant(int resolution, int channels, int part)
    {
        using var d = new SelfSupervisedDiscriminator(Model(resolution, channels));
        using var scope = NewDisposeScope();
        var images = (rand(2, channels, resolution, resolution, generator: manual_seed(1)) * 2 - 1).requires_grad_();
        Assert.Equal([2L * SelfSupervisedDiscriminator.LogitsPerImage], d.forward(images).shape);
        var (logits, pairs) = d.ForwardReconstructing(images, part);
        // The same logits as a plain forward pass (eval mode, so batch norm does not depend on the call).
        d.eval();
        var (again, _) = d.ForwardReconstructing(images, part);
        Assert.Equal(0f, (again - d.forward(images)).abs().max().item<float>());
        Assert.Equal([2L * SelfSupervisedDiscriminator.LogitsPerImage], logits.shape);
        Assert.Equal(3, pairs.Count);
        int half = resolution / 2;
        foreach (var (output, target) in pairs)
        {
            Assert.Equal([2L, channels, half, half], output.shape);
            Assert.Equal(output.shape, target.shape);
            Assert.True(output.abs().max().item<float>() <= 1f); // tanh
        }
        // Targets: the image averaged to half size (twice: big and small path), and the quadrant itself, by hand.
        var pooled = nn.functional.avg_pool2d(images, 2);
        Assert.Equal(0f, (pairs[0].Target - pooled).abs().max().item<float>());
        Assert.Equal(0f, (pairs[1].Target - pooled).abs().max().item<float>());
        int row = part / 2, column = part % 2;
        var quadrant = images.detach().data<float>().ToArray();
        var crop = pairs[2].Target.detach().contiguous().data<float>().ToArray();
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < half; y++)
                    for (int x = 0; x < half; x++)
                        Assert.Equal(quadrant[((b * channels + c) * resolution + y + row * half) * resolution + x + column * half], crop[((b * channels + c) * half + y) * half + x]);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ForwardReconstructing(images, 4));
        // The logits' gradient reaches the images (the generator learns through it).
        logits.sum().backward();
        Assert.True(images.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void The_perceptual_distance_is_zero_on_the_same_image_symmetric_and_grows_with_the_difference()
    {
        using var distance = new PerceptualDistance();
        using var scope = NewDisposeScope();
        var a = rand(3, 3, 32, 32, generator: manual_seed(4)) * 2 - 1;
        var noise = randn(3, 3, 32, 32, generator: manual_seed(5));
        Assert.Equal(0f, distance.Distance(a, a).abs().max().item<float>());
        var near = (a + 0.05 * noise).clamp(-1, 1);
        var far = (a + 0.5 * noise).clamp(-1, 1);
        var dNear = distance.Distance(a, near).data<float>().ToArray();
        var dFar = distance.Distance(a, far).data<float>().ToArray();
        var pixelFar = (a - far).abs().flatten(1).mean([1]).data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(dNear[i] > 0 && dNear[i] < dFar[i], $"image {i}: {dNear[i]} vs {dFar[i]}");
            Assert.True(dFar[i] > pixelFar[i] + 0.01, "the features add to the pixel term");
        }
        Assert.Equal(dFar, distance.Distance(far, a).data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-5);
        // Grey images are compared as RGB.
        var grey = a[.., ..1];
        var greyFar = far[.., ..1];
        Assert.Equal(distance.Distance(grey.expand(-1, 3, -1, -1), greyFar.expand(-1, 3, -1, -1)).data<float>().ToArray(),
            distance.Distance(grey, greyFar).data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Throws<ArgumentException>(() => distance.Distance(a, a[.., .., ..16, ..16]));
    }

    [Fact]
    public void Its_decoders_learn_to_rebuild_the_real_images()
    {
        using var d = new SelfSupervisedDiscriminator(Model());
        using var distance = new PerceptualDistance();
        // Smooth colour fields (4×4 random colours, bilinear to 32×32): images a small decoder can learn.
        var images = nn.functional.interpolate(rand(4, 3, 4, 4, generator: manual_seed(3)) * 2 - 1, [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
        using var optimizer = optim.Adam(d.parameters(), lr: 2e-3);
        float Loss(bool step)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (_, pairs) = d.ForwardReconstructing(images, 1);
            var loss = pairs.Select(p => distance.Distance(p.Output, p.Target).mean()).Aggregate((x, y) => x + y);
            if (step) { loss.backward(); optimizer.step(); }
            return loss.item<float>();
        }
        float first = Loss(step: true);
        for (int i = 0; i < 15; i++) Loss(step: true);
        float last = Loss(step: false);
        Assert.True(last < 0.25f * first, $"reconstruction loss {first} → {last}");
    }

    [Fact]
    public void It_trains_with_its_reconstruction_loss_and_resumes_exactly_and_the_recipe_gives_fastgans_settings()
    {
        using var temp = new TempFolder();
        var model = Model();
        var options = (TinyRuns.Options(model, steps: 3) with { Model = model })
            .WithGame(g => g with { Objective = Objective.Hinge })
            .WithAugmentation(a => a with { Mode = AugmentMode.DiffAugment });
        var (a, b, result) = TinyRuns.StraightAndResumed(temp.Path, options, split: 1);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(a.Files, b.Files);
        var stored = CheckpointStore.ReadTensors(result.Checkpoint!, CheckpointFiles.Discriminator);
        Assert.Contains(stored.Keys, k => k.StartsWith("decoder_part.", StringComparison.Ordinal));
        using var generator = TrainedGenerator.Load(result.Checkpoint!);
        Assert.All(generator.Generate([0, 1]), v => Assert.True(float.IsFinite(v)));

        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = "procedural:rothko", Discriminator = DiscriminatorKind.SelfSupervised });
        Assert.Equal((Objective.Hinge, 0.5, 0.999, AugmentMode.DiffAugment, 2e-4), (o.Game.Objective, o.Optimization.Beta1, o.Optimization.Beta2, o.Augmentation.Mode, o.Optimization.LearningRate));
        foreach (var (request, flag) in new (TrainingRequest, string)[]
        {
            (new() { Data = "mnist", Discriminator = DiscriminatorKind.SelfSupervised }, "--discriminator self-supervised: 28x28 is too small"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.SelfSupervised, GradientPenalty = 10 }, "--gradient-penalty"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.SelfSupervised, FeatureMatching = true }, "--feature-matching"),
            (new() { Data = "procedural:rothko", Discriminator = DiscriminatorKind.SelfSupervised, MinibatchDiscrimination = true }, "--minibatch-discrimination"),
        })
            Assert.StartsWith(flag, Assert.Throws<Atelier.Platform.OptionException>(() => TrainingRecipe.Resolve(request)).Message);
    }
}

using Atelier.Models;
using Atelier.Models.Pretrained;
using Atelier.Projection;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Projection;

public sealed class ProjectionTests
{
    private static readonly Lazy<ResNet18Network> Network = new(() => ResNet18Network.Load());

    private static double Psnr(Tensor a, Tensor b) => 10 * Math.Log10(4.0 / (a - b).square().mean().item<float>());

    [Fact]
    public void The_schedule_is_stylegan2s_warm_up_cosine_decay_and_noise_ramp()
    {
        Assert.Equal(0.0, ProjectionSchedule.LearningRate(0.1, 0, 100));
        Assert.Equal(0.1 * 2 / 5.0, ProjectionSchedule.LearningRate(0.1, 2, 100), 12); // warm-up: t / 0.05
        Assert.Equal(0.1, ProjectionSchedule.LearningRate(0.1, 50, 100), 12);
        // t = 0.875: (1 − t) / 0.25 = 0.5 → 0.5 − 0.5·cos(π/2) = 0.5.
        Assert.Equal(0.05, ProjectionSchedule.LearningRate(0.1, 875, 1000), 12);
        Assert.Equal(0.05, ProjectionSchedule.Noise(0.05, 0, 100), 12);
        Assert.Equal(0.05 * 0.25, ProjectionSchedule.Noise(0.05, 375, 1000), 12); // (1 − 0.5)²
        Assert.Equal(0.0, ProjectionSchedule.Noise(0.05, 75, 100));
        Assert.Equal(0.0, ProjectionSchedule.Noise(0.05, 99, 100));
    }

    [Fact]
    public void Sobel_gradients_of_a_step_match_a_hand_computation()
    {
        // A 4×4 image: 0 in the left two columns, 1 in the right two.
        using var step = tensor(new float[] { 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1 }, [1, 1, 4, 4]);
        var (x, y) = ProjectionLoss.Sobel(step);
        // Each row: columns 1 and 2 see the step, (1 + 2 + 1)/8 = 0.5; columns 0 and 3 see flat neighbours (edges replicated).
        Assert.Equal(new float[] { 0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0 }, x.data<float>().ToArray());
        Assert.All(y.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(0.299f, ProjectionLoss.Luma(tensor(new float[] { 1, 0, 0 }, [1, 3, 1, 1])).item<float>(), 6);
    }

    [Fact]
    public void Optimisation_recovers_the_latent_of_a_generated_image()
    {
        var g = ProjectionFixtures.SmallGenerator();
        var truth = Latents.ForSeed(123, 8);
        var target = ProjectionFixtures.Image(g, truth);
        var options = new ProjectionOptions(Mode: ProjectionMode.Optimize, Steps: 200, Restarts: 4, PriorWeight: 0, Seed: 1);
        var results = new Projector(g, 8, Network.Value).Project(target, null, options, null);
        Assert.Equal(4, results.Count);
        Assert.True(results[0].Loss <= results[^1].Loss);
        var best = tensor(results[0].Latent);
        double error = ((best - truth).norm() / truth.norm()).item<float>();
        double psnr = Psnr(ProjectionFixtures.Image(g, best), target);
        double spread = Psnr(ProjectionFixtures.Image(g, Latents.ForSeed(5, 8)), target);
        Assert.True(error < 0.01, $"relative latent error {error:F3}, PSNR {psnr:F1} dB (another seed's image: {spread:F1} dB)");
        Assert.True(psnr > 35, $"PSNR {psnr:F1} dB");
    }
}

public sealed class ProjectionEncoderAndMaskTests
{
    private static readonly Lazy<ResNet18Network> Network = new(() => ResNet18Network.Load());

    [Fact]
    public void The_encoder_learns_to_guess_latents_and_hybrid_improves_on_its_guess()
    {
        var g = ProjectionFixtures.SmallGenerator();
        using var encoder = new LatentEncoder(3, 32, 8);
        encoder.Initialize(3);
        double error = encoder.Train(g, 300, seed: 4, batchSize: 32);
        Assert.True(error < 0.5, $"latent error after training {error:F3} (predicting zero: 1)");
        var truth = Latents.ForSeed(99, 8);
        var target = ProjectionFixtures.Image(g, truth);
        var projector = new Projector(g, 8, Network.Value);
        var guess = projector.Project(target, null, new ProjectionOptions(Mode: ProjectionMode.Encoder, FeatureWeight: 0), encoder);
        Assert.Single(guess);
        var hybrid = projector.Project(target, null, new ProjectionOptions(Steps: 60, Restarts: 2, FeatureWeight: 0), encoder);
        Assert.True(hybrid[0].Loss < guess[0].Loss, $"hybrid {hybrid[0].Loss} vs encoder {guess[0].Loss}");
    }

    [Fact]
    public void A_mask_confines_the_constraint_and_the_same_call_gives_the_same_latents()
    {
        var g = ProjectionFixtures.SmallGenerator();
        var target = ProjectionFixtures.Image(g, Latents.ForSeed(11, 8));
        // The left half constrains; the right half of a second target is noise.
        var mask = cat([ones(1, 1, 32, 16), zeros(1, 1, 32, 16)], 3);
        var noisy = target.clone();
        using (var generator = new Generator(5)) noisy[.., .., .., 16..] = rand([1, 3, 32, 16], generator: generator) * 2 - 1;
        var options = new ProjectionOptions(Mode: ProjectionMode.Optimize, Steps: 40, Restarts: 2, Seed: 2);
        var projector = new Projector(g, 8, Network.Value);
        var a = projector.Project(target, mask, options, null);
        var b = projector.Project(noisy, mask, options, null);
        var again = projector.Project(target, mask, options, null);
        Assert.Equal(a[0].Latent, b[0].Latent); // bit for bit: what lies outside the mask has no influence
        Assert.Equal(a[0].Latent, again[0].Latent);
        var unmasked = projector.Project(noisy, null, options, null);
        Assert.NotEqual(a[0].Latent, unmasked[0].Latent);
    }
}

internal static class ProjectionFixtures
{
    /// <summary>An untrained DCGAN generator, 32×32 RGB from an 8-d latent, with Radford's initialisation and its
    /// batch-norm statistics calibrated (as every checkpoint's are), so that different latents make different images.</summary>
    public static nn.Module<Tensor, Tensor> SmallGenerator()
    {
        var model = new ModelOptions(Resolution: 32, LatentSize: 8, GeneratorWidth: 8);
        var g = GanModels.CreateGenerator(model);
        using var seed = new Generator(7);
        GanModels.InitializeDcgan(g, seed);
        Atelier.Training.BatchNormCalibration.Calibrate(g, 8, CPU);
        g.eval();
        return g;
    }

    public static Tensor Image(nn.Module<Tensor, Tensor> g, Tensor z)
    {
        using var noGrad = no_grad();
        return g.forward(z.unsqueeze(0));
    }
}

public sealed class ProjectionTargetAndLatentFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "atelier-projection-" + Guid.NewGuid().ToString("N"));

    public ProjectionTargetAndLatentFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A 16×16 PNG: background everywhere, a 4×4 square of ink at rows and columns 4..7.</summary>
    private string Sketch(string name, SkiaSharp.SKColor background, SkiaSharp.SKColor ink)
    {
        using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(16, 16, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul));
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                bitmap.SetPixel(x, y, x is >= 4 and < 8 && y is >= 4 and < 8 ? ink : background);
        var path = Path.Combine(folder, name);
        Atelier.Imaging.ImageCodec.SavePng(bitmap, path);
        return path;
    }

    [Fact]
    public void Strokes_are_the_opaque_pixels_or_those_unlike_the_border_grown_by_one()
    {
        // Ink on a transparent sheet: alpha gives the strokes, and the transparent part reads as white.
        var (image, alpha) = ProjectionTarget.Load(Sketch("transparent.png", new SkiaSharp.SKColor(0, 0, 0, 0), new SkiaSharp.SKColor(200, 20, 20)), 16, 3, Atelier.Imaging.ImageFit.Stretch);
        Assert.NotNull(alpha);
        Assert.Equal(1f, image[0, 0, 0, 0].item<float>());
        Assert.Equal(200 / 127.5f - 1, image[0, 0, 5, 5].item<float>(), 5);
        Assert.Equal(16f, alpha.sum().item<float>());
        var fromAlpha = ProjectionTarget.Strokes(image, alpha);
        // The 4×4 square grown by one pixel on every side: 6×6.
        Assert.Equal(36f, fromAlpha.sum().item<float>());
        Assert.Equal(1f, fromAlpha[0, 0, 3, 3].item<float>());
        Assert.Equal(0f, fromAlpha[0, 0, 2, 2].item<float>());

        // Dark ink on an opaque pale sheet: the border's median colour is the background.
        var (opaque, none) = ProjectionTarget.Load(Sketch("opaque.png", new SkiaSharp.SKColor(240, 235, 220), new SkiaSharp.SKColor(30, 30, 30)), 16, 3, Atelier.Imaging.ImageFit.Stretch);
        Assert.Null(none);
        Assert.Equal(fromAlpha.data<float>().ToArray(), ProjectionTarget.Strokes(opaque, null).data<float>().ToArray());
        // A difference of no more than the threshold is background.
        var (faint, _) = ProjectionTarget.Load(Sketch("faint.png", new SkiaSharp.SKColor(240, 240, 240), new SkiaSharp.SKColor(240 - ProjectionTarget.StrokeThreshold, 240, 240)), 16, 3, Atelier.Imaging.ImageFit.Stretch);
        Assert.Equal(0f, ProjectionTarget.Strokes(faint, null).sum().item<float>());
    }

    [Fact]
    public void A_latent_file_reads_back_the_same_bits_and_bad_files_are_named()
    {
        var values = new[] { 0.1f, -1.2345678f, float.Epsilon, 3.4e38f, -0f };
        var path = Path.Combine(folder, "z.latent.json");
        new LatentFile(LatentFile.CurrentFormat, values, "generator.safetensors:abc", "projection of a.png, restart 2", "ff", 0.25).Save(path);
        var read = LatentFile.Load(path);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.Values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(0.25, read.Loss);
        Assert.Null(read.CheckFits(5, "generator.safetensors:abc", path));
        Assert.Contains("different image", read.CheckFits(5, "generator.safetensors:def", path));
        var wrongSize = Assert.Throws<Atelier.Platform.OptionException>(() => read.CheckFits(8, "x", path));
        Assert.Contains("has 5 values; this generator's latent has 8", wrongSize.Message);

        File.WriteAllText(path, "{\"format\": \"atelier-latent/1\", \"values\": [1, \"NaN\"]}");
        Assert.Contains("--latent: '" + path + "' is not a latent file", Assert.Throws<Atelier.Platform.OptionException>(() => LatentFile.Load(path)).Message);
        File.WriteAllText(path, "{\"values\": [1, 2]}");
        Assert.Contains("atelier project` writes them", Assert.Throws<Atelier.Platform.OptionException>(() => LatentFile.Load(path)).Message);
        File.WriteAllText(path, "not json");
        Assert.Contains("is not a latent file", Assert.Throws<Atelier.Platform.OptionException>(() => LatentFile.Load(path)).Message);
        Assert.Contains("does not exist", Assert.Throws<Atelier.Platform.OptionException>(() => LatentFile.Load(path + ".missing")).Message);
    }
}

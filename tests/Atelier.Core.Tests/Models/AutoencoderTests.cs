using Atelier.Core.Tests.Training;
using Atelier.Metrics;
using Atelier.Models.Autoencoders;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Log;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Models;

public sealed class AutoencoderTests
{
    private static TrainingOptions Options(string architecture, long steps, double noise = 0) =>
        TinyRuns.Options(TinyRuns.Model(architecture), steps) with
        {
            Optimization = new() { BatchSize = 8, LearningRate = TrainingDefaults.AutoencoderLearningRate, Beta1 = TrainingDefaults.AutoencoderBeta1 },
            Game = new() { InputNoise = noise },
        };

    [Fact]
    public void The_kl_term_is_the_closed_form_of_two_gaussians_computed_by_hand()
    {
        // Image 1: N(0, 1) in both latents, KL 0. Image 2: μ = (1, 2), σ² = (4, 1):
        // −½[(1 + ln 4 − 1 − 4) + (1 + 0 − 4 − 1)] = 4 − ln 2. Mean over the two images: (4 − ln 2) / 2.
        using var mean = tensor(new float[] { 0, 0, 1, 2 }, [2, 2]);
        using var logVariance = tensor(new float[] { 0, 0, MathF.Log(4), 0 }, [2, 2]);
        using var kl = AutoencoderStep.Kl(mean, logVariance);
        Assert.Equal((4 - Math.Log(2)) / 2, kl.item<float>(), 5);
        using var codes = cat([mean, logVariance], 1);
        var (m, v) = AutoencoderStep.Posterior(codes);
        Assert.Equal(mean.data<float>().ToArray(), m.data<float>().ToArray());
        Assert.Equal(logVariance.data<float>().ToArray(), v.data<float>().ToArray());
    }

    [Theory]
    [InlineData("autoencoder", 28, 1)]
    [InlineData("vae", 32, 3)]
    [InlineData("vae", 64, 3)]
    public void The_encoder_gives_a_code_per_image_and_the_decoder_an_image_per_code(string architecture, int resolution, int channels)
    {
        var options = TinyRuns.Model(architecture, resolution, channels);
        var family = (IAutoencoderFamily)options.Family;
        using var encoder = family.CreateEncoder(options);
        using var decoder = (AutoencoderDecoder)family.CreateGenerator(options);
        using var images = rand(3, channels, resolution, resolution) * 2 - 1;
        using var codes = encoder.forward(images);
        Assert.Equal(new long[] { 3, family.Variational ? 2 * options.LatentSize : options.LatentSize }, codes.shape);
        using var z = randn(3, options.LatentSize);
        using var decoded = decoder.forward(z);
        Assert.Equal(new long[] { 3, channels, resolution, resolution }, decoded.shape);
        Assert.True(decoded.abs().max().item<float>() <= 1);
        // The generator's latent of a code decodes to the code's image.
        decoder.eval();
        using (no_grad())
        {
            decoder.Prior.Mean.fill_(0.5f);
            decoder.Prior.Std.fill_(2f);
            using var direct = decoder.Decode(z);
            using var viaLatent = decoder.forward(decoder.Standardize(z));
            Assert.True(direct.allclose(viaLatent, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void A_plain_autoencoders_prior_follows_its_codes_and_a_vaes_stays_the_standard_normal()
    {
        var options = TinyRuns.Model("autoencoder");
        using var plain = new AutoencoderDecoder(options, variational: false);
        using var vae = new AutoencoderDecoder(options, variational: true);
        using var codes = randn(new long[] { 256, options.LatentSize }, generator: new TorchSharp.torch.Generator(3)) * 3 + 5;
        var expectedMean = codes.mean([0]).data<float>().ToArray();
        var expectedStd = codes.std(0).data<float>().ToArray();
        for (int i = 0; i < 2000; i++)
        {
            plain.UpdatePrior(codes);
            vae.UpdatePrior(codes);
        }
        Assert.All(plain.Prior.Mean.data<float>().ToArray().Zip(expectedMean), p => Assert.Equal(p.Second, p.First, 3));
        Assert.All(plain.Prior.Std.data<float>().ToArray().Zip(expectedStd), p => Assert.Equal(p.Second, p.First, 3));
        Assert.All(vae.Prior.Mean.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.All(vae.Prior.Std.data<float>().ToArray(), v => Assert.Equal(1f, v));
    }

    [Theory]
    [InlineData("autoencoder", 0.0)]
    [InlineData("autoencoder", 0.2)]
    [InlineData("vae", 0.0)]
    public void It_trains_on_reconstruction_checkpoints_its_encoder_and_resumes_exactly(string architecture, double noise)
    {
        using var temp = new TempFolder();
        var options = Options(architecture, steps: 4, noise);
        var (a, b, result) = TinyRuns.StraightAndResumed(temp.Path, options, split: 2);
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(a.Files, b.Files);
        Assert.Contains(CheckpointFiles.FileName(CheckpointFiles.Encoder), a.Files.Keys);
        Assert.DoesNotContain(CheckpointFiles.FileName(CheckpointFiles.Discriminator), a.Files.Keys);
        var rows = MetricsHistory.Read(new RunFolder(Path.Combine(temp.Path, "straight")).MetricsFile).Steps;
        Assert.Equal(4, rows.Count);
        var m = options.Model;
        foreach (var row in rows)
        {
            Assert.NotNull(row.Reconstruction);
            Assert.True(double.IsNaN(row.LossD) && double.IsNaN(row.RealScore));
            // The loss is the squared error summed per image (MSE × pixels) plus, for a VAE, the KL term (β = 1).
            double expected = row.Reconstruction!.Value * m.Channels * m.Resolution * m.Resolution + (row.Kl ?? 0);
            Assert.Equal(expected, row.LossG, expected * 1e-4);
            if (architecture == "autoencoder") Assert.Equal(0, row.Kl);
            else Assert.True(row.Kl > 0);
        }
        using var generator = TrainedGenerator.Load(result.Checkpoint!);
        Assert.All(generator.Generate([0, 1]), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Training_makes_reconstructions_of_unseen_images_closer_and_the_measure_is_deterministic()
    {
        using var temp = new TempFolder();
        var options = Options("autoencoder", steps: 80).WithSchedule(s => s with { CheckpointEvery = 80, KeepCheckpoints = 5 });
        TinyRuns.Train(temp.Path, options);
        var run = new RunFolder(temp.Path);
        var heldOut = TinyRuns.Data(options.Model, count: 32, seed: 99);
        double Psnr(long step)
        {
            using var model = TrainedAutoencoder.Load(run.Checkpoints.PathFor(step));
            return ReconstructionReport.Measure(model, heldOut, 32).PsnrMean;
        }
        double before = Psnr(0), after = Psnr(80);
        Assert.True(after > before + 3, $"PSNR {before:F1} dB at step 0, {after:F1} dB at step 80");

        using var trained = TrainedAutoencoder.Load(run.Checkpoints.PathFor(80));
        var noisy = ReconstructionReport.Measure(trained, heldOut, 32, noise: 0.3, seed: 5);
        var again = ReconstructionReport.Measure(trained, heldOut, 32, noise: 0.3, seed: 5);
        Assert.Equal(noisy.Psnr, again.Psnr);
        Assert.Equal(noisy.Ssim, again.Ssim);
        Assert.NotEqual(noisy.Inputs, noisy.Originals);
        // The latents the encoder gives decode, through the generator's forward, to the reconstruction.
        using var images = tensor(noisy.Originals.AsSpan(0, 4 * 28 * 28).ToArray(), [4, 1, 28, 28]);
        using var latents = trained.Encode(images);
        using var viaSeedsPath = tensor(trained.Generator.GenerateShaped([0], LatentShape.None, latent: latents[0].data<float>().ToArray()), [1, 1, 28, 28]);
        using var direct = trained.Reconstruct(images);
        Assert.True(viaSeedsPath.allclose(direct[0].unsqueeze(0), atol: 1e-4));
    }

    [Fact]
    public void A_gan_run_is_not_an_autoencoder_and_the_game_flags_are_refused_for_one()
    {
        using var temp = new TempFolder();
        var gan = TinyRuns.Train(temp.Path, TinyRuns.Options(TinyRuns.Model(), 1));
        var e = Assert.Throws<OptionException>(() => TrainedAutoencoder.Load(gan.Checkpoint!));
        Assert.Contains("dcgan run, which has no encoder", e.Message);

        foreach (var (options, flag) in new (TrainingOptions, string)[]
        {
            (Options("vae", 1).WithGame(g => g with { R1Gamma = 1 }), "--r1: it belongs to the GAN game"),
            (Options("vae", 1).WithGame(g => g with { DiscriminatorSteps = 2 }), "--d-steps"),
            (Options("autoencoder", 1).WithAugmentation(a => a with { Mode = AugmentMode.DiffAugment }), "--augment"),
            (Options("autoencoder", 1).WithGame(g => g with { KlWeight = 2 }), "--kl-weight: a plain autoencoder has no KL term"),
            (TinyRuns.Options(TinyRuns.Model(), 1).WithGame(g => g with { KlWeight = 2 }), "--kl-weight: it weighs a VAE's KL term"),
            (TinyRuns.Options(TinyRuns.Model(), 1).WithGame(g => g with { InputNoise = 0.1 }), "--denoise"),
            (Options("vae", 1) with { Model = TinyRuns.Model("vae") with { Classes = 3 } }, "--model vae: --conditional"),
            (Options("vae", 1).WithGame(g => g with { InputNoise = -1 }), "--denoise: -1 is outside"),
        })
            Assert.Contains(flag, Assert.Throws<OptionException>(options.Validate).Message);

        // The recipe gives autoencoders Adam's usual settings, and a GAN's JSON does not change.
        var o = TrainingRecipe.Resolve(new TrainingRequest { Data = "fashion-mnist", Model = "vae", KlWeight = 0.5 });
        Assert.Equal((1e-3, 0.9, 0.5, AugmentMode.None), (o.Optimization.LearningRate, o.Optimization.Beta1, o.Game.Beta, o.Augmentation.Mode));
        var json = System.Text.Json.JsonSerializer.Serialize(TrainingRecipe.Resolve(new TrainingRequest { Data = "fashion-mnist" }), RunFolder.Json);
        Assert.DoesNotContain("klWeight", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("inputNoise", json, StringComparison.OrdinalIgnoreCase);
        var written = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(o, RunFolder.Json))!;
        Assert.Equal(0.5, written["klWeight"]!.GetValue<double>());
        Assert.Equal(0.5, System.Text.Json.JsonSerializer.Deserialize<TrainingOptions>(written.ToJsonString(), RunFolder.Json)!.Game.KlWeight);
    }
}

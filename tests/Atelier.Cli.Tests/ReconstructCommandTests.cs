using System.Text.Json.Nodes;
using Atelier.Imaging;
using Atelier.Sampling;

namespace Atelier.Cli.Tests;

public sealed class ReconstructCommandTests
{
    private static string TinyRun(CliHarness cli, string model, params string[] extra)
    {
        var run = cli.PathOf(model);
        var (code, output, error) = cli.Run(["train", "--data", "fashion-mnist", "--model", model, "--steps", "3", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "8", "--out", run, "--quiet", "--sample-every", "0", "--threads", "1", .. extra]);
        Assert.True(code == 0, error + output);
        return run;
    }

    [Fact]
    public void A_vae_run_is_measured_on_held_out_images_and_its_pictures_rebuild_and_reproduce()
    {
        using var cli = new CliHarness();
        var run = TinyRun(cli, "vae", "--kl-weight", "0.5");
        Assert.Equal(0.5, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "options.json")))!["klWeight"]!.GetValue<double>());
        var (code, output, error) = cli.Run("reconstruct", "--run", run, "--data", "fashion-mnist:test", "--n", "20", "--noise", "0.2", "--threads", "1");
        Assert.True(code == 0, error + output);
        Assert.Contains("PSNR dB", output);
        var folder = Path.Combine(run, "reconstructions");
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "report.json")))!;
        Assert.Equal(20, report["n"]!.GetValue<int>());
        Assert.Equal("fashion-mnist:test", report["data"]!.GetValue<string>());
        Assert.Equal(0.2, report["noise"]!.GetValue<double>());
        Assert.InRange(report["psnr"]!["mean"]!.GetValue<double>(), 1, 60);
        Assert.StartsWith("encoder.safetensors:", report["encoder"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var sheet = ImageCodec.Decode(Path.Combine(folder, "comparison.png")))
            Assert.Equal((16 * 56 + 15 * 2 + 2 * 2, 3 * 56 + 2 * 2 + 2 * 2), (sheet.Width, sheet.Height)); // 16 columns; originals, noisy, rebuilt

        // Two pictures: reconstructions with their latents, a walk between them; the PNGs reproduce and the latents generate.
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3-4", "--out", cli.PathOf("seeds")).Code);
        var pictures = new[] { cli.PathOf("seeds/seed0003.png"), cli.PathOf("seeds/seed0004.png") };
        var out2 = cli.PathOf("pictures");
        (code, output, error) = cli.Run("reconstruct", "--run", run, "--image", pictures[0], pictures[1], "--frames", "4", "--out", out2);
        Assert.True(code == 0, error + output);
        foreach (var name in new[] { "seed0003-reconstruction.png", "seed0004-reconstruction.png", "seed0003.latent.json", "seed0004.latent.json", "comparison.png", "interpolation.gif" })
            Assert.True(File.Exists(Path.Combine(out2, name)), name);
        var latent = LatentFile.Load(Path.Combine(out2, "seed0003.latent.json"));
        Assert.Equal(8, latent.Values.Length);
        Assert.Equal(Stylization.StyleInputFile.Hash(pictures[0]), latent.SourceSha256);
        (code, output, error) = cli.Run("reproduce", Path.Combine(out2, "seed0003-reconstruction.png"), "--runs", cli.Folder);
        Assert.True(code == 0 && output.Contains("identical", StringComparison.Ordinal), error + output);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--latent", Path.Combine(out2, "seed0003.latent.json"), "--out", cli.PathOf("again")).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(out2, "seed0003-reconstruction.png")), File.ReadAllBytes(cli.PathOf("again/seed0000-latent.png")));
    }

    [Fact]
    public void Wrong_requests_exit_2_naming_the_flag()
    {
        using var cli = new CliHarness();
        var run = TinyRun(cli, "autoencoder", "--denoise", "0.2");
        var gan = cli.PathOf("gan");
        Assert.Equal(0, cli.Run("train", "--data", "fashion-mnist", "--steps", "1", "--batch-size", "4", "--generator-width", "4", "--discriminator-width", "4",
            "--latent-size", "8", "--out", gan, "--quiet", "--sample-every", "0", "--threads", "1").Code);
        foreach (var (args, message) in new (string[], string)[]
        {
            (["reconstruct", "--run", run], "--data or --image: give one of them"),
            (["reconstruct", "--run", run, "--data", "fashion-mnist:test", "--image", "x.png"], "--data or --image"),
            (["reconstruct", "--run", run, "--image", cli.PathOf("missing.png")], "--image: '" + cli.PathOf("missing.png") + "' does not exist"),
            (["reconstruct", "--run", run, "--data", "fashion-mnist:test", "--n", "0"], "--n: 0 is outside"),
            (["reconstruct", "--run", run, "--data", "fashion-mnist:test", "--noise", "-1"], "--noise: -1 is outside"),
            (["reconstruct", "--run", gan, "--data", "fashion-mnist:test"], "is a dcgan run, which has no encoder"),
            (["train", "--data", "fashion-mnist", "--model", "vae", "--r1", "1", "--out", cli.PathOf("bad1")], "--r1: it belongs to the GAN game"),
            (["train", "--data", "fashion-mnist", "--model", "autoencoder", "--objective", "hinge", "--out", cli.PathOf("bad2")], "--objective: it belongs to the GAN game"),
            (["train", "--data", "fashion-mnist", "--kl-weight", "1", "--out", cli.PathOf("bad3")], "--kl-weight: it weighs a VAE's KL term"),
            (["train", "--data", "fashion-mnist", "--model", "vae", "--conditional", "--out", cli.PathOf("bad4")], "--model vae: --conditional"),
        })
        {
            var (code, output, error) = cli.Run(args);
            Assert.True(code == 2, string.Join(' ', args) + ": " + code + error + output);
            Assert.Contains(message, error);
        }
        foreach (var bad in new[] { "bad1", "bad2", "bad3", "bad4" }) Assert.False(Directory.Exists(cli.PathOf(bad)), bad);
        Assert.False(Directory.Exists(Path.Combine(gan, "reconstructions")));
    }
}

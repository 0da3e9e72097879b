using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Cli.Tests;

public sealed class CommandTests
{
    [Fact]
    public void Info_lists_versions_and_datasets()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("info");
        Assert.Equal(0, code);
        Assert.Contains("TorchSharp", output);
        Assert.Contains("0.107.0", output);
        Assert.Contains("fashion-mnist", output);
        Assert.Contains("procedural:kandinsky", output);
    }

    [Fact]
    public void Data_info_reports_fashion_mnist()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("data", "info", "fashion-mnist");
        Assert.True(code == 0, error);
        Assert.Contains("60000", output);
        Assert.Contains("28x28x1", output);
        Assert.Contains("10: t-shirt", output);
    }

    [Fact]
    public void Data_preview_writes_a_grid_of_the_asked_size()
    {
        using var cli = new CliHarness();
        var png = cli.PathOf("preview.png");
        var (code, _, error) = cli.Run("data", "preview", "procedural:mondrian", "--count", "16", "--resolution", "32", "--out", png);
        Assert.True(code == 0, error);
        using var grid = SKBitmap.Decode(png);
        // 4 columns of 32px images scaled x2, padding 2.
        Assert.Equal(2 + 4 * (64 + 2), grid.Width);
        Assert.Equal(2 + 4 * (64 + 2), grid.Height);
    }

    [Theory]
    [InlineData(new[] { "train", "--model", "stylegan", "--steps", "1" }, "--model")]
    [InlineData(new[] { "train", "--resolution", "48", "--steps", "1" }, "--resolution")]
    [InlineData(new[] { "train", "--data", "no-such-data", "--steps", "1" }, "--data")]
    [InlineData(new[] { "train", "--batch-size", "0" }, "--batch-size")]
    [InlineData(new[] { "generate", "--run", "/nonexistent/run", "--grid", "x.png" }, "--run")]
    [InlineData(new[] { "train", "--resume", "/nonexistent/run" }, "--resume")]
    [InlineData(new[] { "data", "preview", "procedural:kandinsky", "--count", "0" }, "--count")]
    [InlineData(new[] { "train", "--steps", "many" }, "many")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "train", "--objective", "magic", "--steps", "1" }, "--objective: unknown objective 'magic'; choose one of minimax, non-saturating, wgan, wgan-gp, hinge, least-squares.")]
    [InlineData(new[] { "train", "--optimizer", "sgd", "--steps", "1" }, "--optimizer: unknown optimizer 'sgd'; choose one of adam, rmsprop.")]
    [InlineData(new[] { "train", "--critic-norm", "group", "--steps", "1" }, "--critic-norm: unknown normalisation 'group'; choose one of batch, layer, none.")]
    [InlineData(new[] { "train", "--augment", "mixup", "--steps", "1" }, "--augment: unknown augmentation mode 'mixup'; choose one of none, diffaugment, ada.")]
    [InlineData(new[] { "train", "--device", "tpu", "--steps", "1" }, "--device: unknown device 'tpu'; choose one of cpu, cuda.")]
    [InlineData(new[] { "train", "--discriminator", "patch", "--steps", "1" }, "--discriminator: unknown discriminator 'patch'; choose one of pixel, projected, ensemble, self-supervised.")]
    [InlineData(new[] { "train", "--data", "fashion-mnist", "--discriminator", "projected", "--steps", "1" }, "--discriminator projected: 28x28 is too small")]
    [InlineData(new[] { "train", "--objective", "Hinge", "--steps", "1" }, "--objective: unknown objective 'Hinge'")]
    [InlineData(new[] { "generate", "--run", "/nonexistent/run", "--device", "tpu", "--grid", "x.png" }, "--")]
    [InlineData(new[] { "train", "--objective", "wgan-gp", "--critic-norm", "batch", "--steps", "1" }, "--gradient-penalty")]
    public void Bad_arguments_exit_2_naming_the_flag(string[] args, string named)
    {
        using var cli = new CliHarness();
        var (code, _, error) = cli.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(named, error);
        Assert.StartsWith("error:", error);
    }

    [Fact]
    public void Train_then_generate_twice_gives_identical_bytes()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (code, output, error) = cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "3", "--batch-size", "8",
            "--generator-width", "8", "--discriminator-width", "8", "--latent-size", "16", "--sample-every", "2", "--out", run, "--threads", "2");
        Assert.True(code == 0, error + output);
        Assert.Contains("grid:", output);
        Assert.True(File.Exists(Path.Combine(run, "plots", "losses.png")));
        Assert.True(File.Exists(Path.Combine(run, "options.json")));
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "step-000003", "manifest.json")));

        var first = cli.PathOf("a.png");
        var second = cli.PathOf("b.png");
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "0-7", "--grid", first).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "0-7", "--grid", second).Code);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var text = PngText.Read(File.ReadAllBytes(first));
        Assert.Equal("AI-generated by Atelier", text["Comment"]);
        Assert.StartsWith("generator-ema.safetensors:", text["Atelier.weights"]);

        var folder = cli.PathOf("singles");
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3,5", "--out", folder).Code);
        Assert.Equal(["seed0003.png", "seed0005.png"], Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order().ToArray());
        Assert.Equal("3", PngText.Read(File.ReadAllBytes(Path.Combine(folder, "seed0003.png")))["Atelier.seed"]);

        var gif = cli.PathOf("walk.gif");
        var (gifCode, _, gifError) = cli.Run("generate", "--run", run, "--interpolate", "3,17", "--frames", "6", "--out", gif);
        Assert.True(gifCode == 0, gifError);
        using var codec = SKCodec.Create(gif);
        Assert.Equal(6, codec.FrameCount);

        var (badSeeds, _, seedError) = cli.Run("generate", "--run", run, "--seeds", "9-2", "--grid", first);
        Assert.Equal(2, badSeeds);
        Assert.Contains("--seeds", seedError);

        // Resume to a higher total continues the same run.
        var (resumed, resumeOut, resumeError) = cli.Run("train", "--resume", run, "--steps", "5", "--quiet");
        Assert.True(resumed == 0, resumeError);
        Assert.Contains("step-000005", resumeOut);
    }
}

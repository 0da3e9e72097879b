using Atelier.Platform;
using Atelier.Runs;

namespace Atelier.Cli.Tests;

/// <summary>Exit codes say whose mistake it was: 2 for what the user gave, 3 for a damaged checkpoint, a crash for a bug.</summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void Only_the_users_mistakes_are_usage_errors()
    {
        Assert.True(CliApp.IsUserError(new UsageException("--x: bad")));
        Assert.True(CliApp.IsUserError(new OptionException("--lr: 2 must be in (0, 1).")));
        Assert.True(CliApp.IsUserError(new InvalidDataException("not a PNG file")));
        // Before: every ArgumentException and InvalidDataException was "usage", a bug's and a damaged checkpoint's too.
        Assert.False(CliApp.IsUserError(new ArgumentOutOfRangeException("index")));
        Assert.False(CliApp.IsUserError(new ArgumentException("a grid needs at least one image")));
        Assert.False(CliApp.IsUserError(new CorruptCheckpointException("step-000004: generator.safetensors does not match its SHA-256")));
    }

    [Theory]
    // Each of these used to crash (exit 134) with a FormatException, an IOException or a JSON writer's message naming no
    // flag, and the NaN cases left a half-made run folder behind; --threads 100000 exhausted the process table.
    [InlineData("--historical-averaging abc", "--historical-averaging: 'abc' is not a number")]
    [InlineData("--can abc", "--can: 'abc' is not a number")]
    [InlineData("--label-smoothing abc", "--label-smoothing: 'abc' is not a number")]
    [InlineData("--beta1 NaN", "--beta1: 'NaN' is not a finite number")]
    [InlineData("--ema-half-life NaN", "--ema-half-life: 'NaN' is not a finite number")]
    [InlineData("--r1 NaN", "--r1: 'NaN' is not a finite number")]
    [InlineData("--label-smoothing NaN", "--label-smoothing: 'NaN' is not a finite number")]
    [InlineData("--lr Infinity", "--lr: 'Infinity' is not a finite number")]
    [InlineData("--threads 100000", "--threads: 100000 is outside 0..256")]
    public void Bad_training_flags_exit_2_name_the_flag_and_create_nothing(string flags, string message)
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (code, _, error) = cli.Run(["train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "1", "--batch-size", "4", "--out", run, "--quiet",
            .. flags.Split(' ')]);
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(run), "a refused run left its folder behind");
    }

    [Fact]
    public void An_out_that_is_a_file_and_negative_columns_are_refused()
    {
        using var cli = new CliHarness();
        var file = cli.PathOf("notes.txt");
        File.WriteAllText(file, "keep me");
        var (code, _, error) = cli.Run("train", "--data", "procedural:rothko", "--steps", "1", "--out", file, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--out: '" + file + "' is a file", error);
        Assert.Equal("keep me", File.ReadAllText(file));
        var run = cli.PathOf("run");
        Assert.Equal(0, cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "1", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "4", "--sample-every", "0", "--threads", "1", "--out", run, "--quiet").Code);
        (code, _, error) = cli.Run("generate", "--run", run, "--columns", "-1", "--grid", cli.PathOf("grid.png"));
        Assert.Equal(2, code);
        Assert.Contains("--columns: -1 is outside 0..1024", error);
        Assert.False(File.Exists(cli.PathOf("grid.png")));
    }

    [Fact]
    public void A_studio_datasets_folder_that_is_not_there_is_refused_before_the_server_starts()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("studio", "--datasets", cli.PathOf("no-such-folder"), "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("--datasets: '" + cli.PathOf("no-such-folder") + "' is not a folder", error);
        Assert.DoesNotContain("Atelier Studio:", output);
    }

    [Fact]
    public void A_damaged_checkpoint_has_its_own_exit_code_and_says_what_to_do()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (trained, _, trainError) = cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "2", "--batch-size", "4",
            "--generator-width", "4", "--discriminator-width", "4", "--latent-size", "8", "--sample-every", "0", "--threads", "1", "--out", run, "--quiet");
        Assert.True(trained == 0, trainError);
        var file = Path.Combine(new RunFolder(run).Checkpoints.Latest()!, CheckpointFiles.FileName(CheckpointFiles.Average));
        var bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(file, bytes);
        var (code, _, error) = cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", cli.PathOf("grid.png"));
        Assert.Equal(3, code);
        Assert.StartsWith("error: damaged checkpoint:", error.Trim());
        Assert.Contains("does not match its SHA-256", error);
        Assert.Contains("--checkpoint", error);
        Assert.False(File.Exists(cli.PathOf("grid.png")));
    }

    [Fact]
    public void Generation_follows_device_like_training()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        Assert.Equal(0, cli.Run("train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "1", "--batch-size", "4",
            "--generator-width", "4", "--discriminator-width", "4", "--latent-size", "8", "--sample-every", "0", "--threads", "1", "--out", run, "--quiet").Code);
        // Before: generation ran on the CPU whatever it was told. Where libtorch has no CUDA, asking for it is refused.
        if (!Platform.TorchRuntime.CudaAvailable())
        {
            var (code, _, error) = cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", cli.PathOf("cuda.png"), "--device", "cuda");
            Assert.Equal(2, code);
            Assert.Contains("--device cuda: no CUDA device is available", error);
            Assert.False(File.Exists(cli.PathOf("cuda.png")));
        }
        var (cpu, _, cpuError) = cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", cli.PathOf("cpu.png"), "--device", "cpu");
        Assert.True(cpu == 0, cpuError);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", cli.PathOf("default.png")).Code);
        Assert.Equal(File.ReadAllBytes(cli.PathOf("default.png")), File.ReadAllBytes(cli.PathOf("cpu.png")));
        using var generator = Sampling.TrainedGenerator.Load(new RunFolder(run).Checkpoints.Latest()!, device: TorchSharp.torch.CPU);
        Assert.Equal(TorchSharp.DeviceType.CPU, generator.Device.type);
    }
}

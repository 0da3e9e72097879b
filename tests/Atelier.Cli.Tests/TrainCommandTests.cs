using Atelier.Runs;
using Atelier.Training;

namespace Atelier.Cli.Tests;

/// <summary>Training flags that had no test: --epochs, --cpu-minutes, and --resume on data that has changed.</summary>
public sealed class TrainCommandTests
{
    private static readonly string[] Tiny = ["--resolution", "32", "--batch-size", "4", "--generator-width", "4", "--discriminator-width", "4",
        "--latent-size", "8", "--sample-every", "0", "--threads", "1", "--quiet"];

    [Fact]
    public void Epochs_become_the_steps_that_pass_over_the_data_that_many_times()
    {
        using var cli = new CliHarness();
        var data = GoldenCommandTests.WideFolder(cli.PathOf("wide")); // 16 images
        var run = cli.PathOf("run");
        var (code, output, error) = cli.Run(["train", "--data", data, "--epochs", "2.5", "--out", run, .. Tiny]);
        Assert.True(code == 0, error + output);
        // ceil(2.5 · 16 / (4 · 1)) = 10 generator steps
        Assert.Equal(10, new RunFolder(run).LoadOptions().Schedule.Steps);
        Assert.EndsWith("step-000010", new RunFolder(run).Checkpoints.Latest());

        var (both, _, bothError) = cli.Run(["train", "--data", data, "--epochs", "1", "--steps", "5", "--out", cli.PathOf("both"), .. Tiny]);
        Assert.Equal(2, both);
        Assert.Contains("--steps and --epochs", bothError);
        var (negative, _, negativeError) = cli.Run(["train", "--data", data, "--epochs", "-1", "--out", cli.PathOf("negative"), .. Tiny]);
        Assert.Equal(2, negative);
        Assert.Contains("--epochs", negativeError);
    }

    [Fact]
    public void A_cpu_time_budget_stops_training_early_and_saves()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (code, output, error) = cli.Run(["train", "--data", "procedural:rothko", "--steps", "100000", "--cpu-minutes", "0.02", "--out", run, .. Tiny]);
        Assert.True(code == 0, error + output);
        var latest = new RunFolder(run).Checkpoints.Latest()!;
        long step = CheckpointStore.ReadManifest(latest).Step;
        Assert.InRange(step, 10, 99_999); // checked every 10 steps; 1.2 CPU-seconds are far from 100000 steps
        Assert.EndsWith($"step-{step:D6}", latest);
        var (zero, _, zeroError) = cli.Run(["train", "--data", "procedural:rothko", "--cpu-minutes", "0", "--out", cli.PathOf("zero"), .. Tiny]);
        Assert.Equal(2, zero);
        Assert.Contains("--cpu-minutes", zeroError);
    }

    [Fact]
    public void Resume_refuses_data_that_is_no_longer_what_the_run_was_trained_on()
    {
        using var cli = new CliHarness();
        var data = GoldenCommandTests.WideFolder(cli.PathOf("wide"));
        var run = cli.PathOf("run");
        Assert.Equal(0, cli.Run(["train", "--data", data, "--steps", "2", "--out", run, .. Tiny]).Code);
        File.Copy(Path.Combine(data, "00.png"), Path.Combine(data, "16.png")); // the folder now has 17 images
        var (code, _, error) = cli.Run("train", "--resume", run, "--steps", "4", "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--resume", error);
        Assert.Contains("the run was trained on", error);
        Assert.EndsWith("step-000002", new RunFolder(run).Checkpoints.Latest());
    }

    [Theory]
    [InlineData("--lr", "1e-3")]
    [InlineData("--device", "cuda")]
    [InlineData("--data", "procedural:mondrian")]
    [InlineData("--batch-size", "64")] // even the default value, given explicitly, would be ignored
    [InlineData("--out", "elsewhere")]
    public void Resume_refuses_a_flag_it_would_ignore_and_names_it(string flag, string value)
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        Assert.Equal(0, cli.Run(["train", "--data", "procedural:rothko", "--steps", "2", "--out", run, .. Tiny]).Code);
        var (code, _, error) = cli.Run("train", "--resume", run, "--steps", "4", flag, value, "--quiet");
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {flag}: a resumed run keeps the options it was started with", error.Trim());
        Assert.EndsWith("step-000002", new RunFolder(run).Checkpoints.Latest());
        Assert.Equal(2, new RunFolder(run).LoadOptions().Schedule.Steps); // nothing was changed
        var (resumed, _, resumeError) = cli.Run("train", "--resume", run, "--steps", "3", "--quiet", "--cpu-minutes", "5");
        Assert.True(resumed == 0, resumeError);
        Assert.EndsWith("step-000003", new RunFolder(run).Checkpoints.Latest());
    }

    [Fact]
    public void Resume_may_change_how_many_checkpoints_are_kept()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        Assert.Equal(0, cli.Run(["train", "--data", "procedural:rothko", "--steps", "3", "--checkpoint-every", "1", "--keep-checkpoints", "5", "--out", run, .. Tiny]).Code);
        Assert.Equal(4, new RunFolder(run).Checkpoints.List().Count);
        var (code, _, error) = cli.Run("train", "--resume", run, "--steps", "5", "--keep-checkpoints", "2", "--quiet");
        Assert.True(code == 0, error);
        Assert.Equal(2, new RunFolder(run).LoadOptions().Schedule.KeepCheckpoints);
        Assert.Equal([4L, 5L], new RunFolder(run).Checkpoints.List().Select(c => c.Step));
    }
}

public sealed class TrainingDisplayTests
{
    private static readonly TrainingStatus Status = new(1234, 4000, 0.6123, 1.2346, 0.91, 0.12, 412.4, TimeSpan.FromSeconds(83));

    [Theory]
    [InlineData(200, "step 1234/4000  D 0.612  G 1.235  D(x) 0.91  D(G(z)) 0.12  412 img/s  01:23 in  03:05 left")]
    [InlineData(58, "step 1234/4000  D 0.61  G 1.23  412 img/s  03:05 left")]
    [InlineData(42, "step 1234/4000  D 0.61  G 1.23  03:05 left")]
    [InlineData(41, "step 1234/4000  03:05 left")]
    [InlineData(28, "step 1234/4000  03:05 left")]
    [InlineData(12, "1234/4000")]
    public void The_status_line_is_the_longest_that_fits(int room, string expected)
    {
        var line = Commands.TrainingView.Describe(Status, TimeSpan.FromSeconds(185), room);
        Assert.Equal(expected, line);
        Assert.True(line.Length <= room || room < 10);
    }

    [Fact]
    public void Without_a_rate_yet_no_time_left_is_shown()
    {
        var line = Commands.TrainingView.Describe(Status with { ImagesPerSecond = 0 }, null, 200);
        Assert.Equal("step 1234/4000  D 0.612  G 1.235  D(x) 0.91  D(G(z)) 0.12  01:23 in", line);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void A_terminal_shows_the_step_and_percentage_and_a_resumed_run_starts_where_it_is(int width)
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("r");
        var (code, output, error) = cli.RunInteractive(width, "train", "--resume", run, "--steps", "6");
        Assert.True(code == 0, error + output);
        var frames = output.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var last = frames.Last(f => f.Contains("step 6/6", StringComparison.Ordinal));
        Assert.Contains("100%", last, StringComparison.Ordinal);
        Assert.True(last.TrimEnd().Length <= width, last);
        // The bar begins at the resumed step (2 of 6), never at 0%.
        Assert.DoesNotContain(frames, f => f.Contains("  0%", StringComparison.Ordinal));
        Assert.DoesNotContain(frames, f => f.Trim() == "…");
    }
}

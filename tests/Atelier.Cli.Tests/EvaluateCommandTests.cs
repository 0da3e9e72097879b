using System.Text.Json;

namespace Atelier.Cli.Tests;

public sealed class EvaluateCommandTests
{
    [Fact]
    public void EvaluatesTwoSplitsOfADatasetWithItsProtocolAndCopyReport()
    {
        using var cli = new CliHarness();
        var outDir = cli.PathOf("eval");
        var (code, output, error) = cli.Run("evaluate", "--real", "fashion-mnist", "--fake", "fashion-mnist:test", "--n", "40",
            "--metrics", "fid,kid,pr", "--copies", "--out", outDir);
        Assert.True(code == 0, error + output);
        Assert.Contains("fid", output);
        Assert.Contains("precision", output);
        Assert.Contains("memorisation_pixels", output);
        Assert.Contains("network:    resnet18-imagenet", output);
        Assert.Contains("real:       fashion-mnist (40 of 60000, seed 0)", output);
        Assert.Contains("fake:       fashion-mnist:test (40 of 10000, seed 0)", output);
        Assert.Contains("not comparable to published FID", output);
        // Not a terminal: one line per stage as it ends, and the small-n caveat.
        // (Features of dataset samples may come from the feature cache, which reports no progress.)
        Assert.Contains("reading the real images: 40 in", output);
        Assert.Contains("reading the second images: 40 in", output);
        Assert.Contains("searching for copies: ", output);
        Assert.Contains("n:          FID and KID at n=40 are noisier", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        var fid = json.RootElement.GetProperty("metrics").GetProperty("fid").GetDouble();
        Assert.True(fid > 0 && double.IsFinite(fid));
        Assert.Equal(40, json.RootElement.GetProperty("protocol").GetProperty("nReal").GetInt32());
        Assert.True(File.Exists(Path.Combine(outDir, "copies.png")));
        Assert.Contains("Copy report", File.ReadAllText(Path.Combine(outDir, "copies.html")));
    }

    [Fact]
    public void EvaluatesARunAndLogsTheResultInIt()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (trainCode, trainOut, trainError) = cli.Run("train", "--data", "fashion-mnist", "--steps", "4", "--batch-size", "8", "--generator-width", "8",
            "--discriminator-width", "8", "--latent-size", "8", "--out", run, "--quiet", "--sample-every", "0", "--threads", "2");
        Assert.True(trainCode == 0, trainError + trainOut);
        var (code, output, error) = cli.Run("evaluate", "--fake", run, "--n", "30", "--metrics", "fid");
        Assert.True(code == 0, error + output);
        Assert.Contains("fake:       run step-000004 EMA generator (seeds 0..29)", output);
        Assert.Contains("mifid", output);
        Assert.Contains("generating: 30 in", output);
        Assert.Contains("features of the generated images: 30 in", output);
        var report = Path.Combine(run, "evaluation", "step-000004");
        Assert.True(File.Exists(Path.Combine(report, "copies.html")), "copy detection is on by default for runs");
        var last = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Last();
        Assert.Contains("\"event\":\"evaluation\",\"source\":\"evaluate\"", last); // one event name; the source tells them apart
        Assert.Contains("\"fid\":", last);
        Assert.Contains("network=resnet18-imagenet", last);
    }

    [Theory]
    [InlineData("--metrics", "fid,sharpness", "--metrics: unknown 'sharpness'")]
    [InlineData("--network", "vgg16", "--network: unknown network 'vgg16'")]
    [InlineData("--network", "inception-v3", "no weights file is configured")]
    [InlineData("--n", "5", "--n: 5 is outside 10..100000")]
    public void BadOptionsAreNamed(string flag, string value, string message)
    {
        using var cli = new CliHarness();
        var old = Environment.GetEnvironmentVariable("ATELIER_INCEPTION_WEIGHTS");
        Environment.SetEnvironmentVariable("ATELIER_INCEPTION_WEIGHTS", null);
        try
        {
            var (code, _, error) = cli.Run("evaluate", "--real", "fashion-mnist", "--fake", "fashion-mnist:test", flag, value);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ATELIER_INCEPTION_WEIGHTS", old);
        }
    }

    [Fact]
    public void ADatasetNeedsARealSide()
    {
        using var cli = new CliHarness();
        var (code, _, error) = cli.Run("evaluate", "--fake", "fashion-mnist:test");
        Assert.Equal(2, code);
        Assert.Contains("--real: give the real dataset", error);
        // A mistyped run folder is named as what is wrong (it used to blame --real).
        var missing = cli.PathOf("runs/00009-not-here");
        (code, _, error) = cli.Run("evaluate", "--fake", missing);
        Assert.Equal(2, code);
        Assert.Contains($"--fake: '{missing}' does not exist", error);
    }

    [Fact]
    public void HelpPutsEachOptionOnItsOwnLine()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("evaluate", "--help");
        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimStart()).ToList();
        Assert.Contains(lines, l => l.StartsWith("--fake <fake> (REQUIRED)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--network <network>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("atelier evaluate --real fashion-mnist --fake fashion-mnist:test", StringComparison.Ordinal));
    }
}

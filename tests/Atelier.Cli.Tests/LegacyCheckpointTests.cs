using Atelier.Runs;
using Atelier.Sampling;

namespace Atelier.Cli.Tests;

/// <summary>
/// Fixtures/legacy-atlt-run was written by Atelier before checkpoints became safetensors (format 1, .atlt weights; 4 steps
/// of a 32x32 DCGAN with 4 feature maps on procedural:rothko, on an x64-avx2 machine). It must still load, resume exactly
/// and reproduce the sample grid it wrote.
/// </summary>
public sealed class LegacyCheckpointTests
{
    private const string RecordedOn = "x64-avx2";

    private static string CopyFixture(CliHarness cli, string name)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-atlt-run");
        var target = cli.PathOf(name);
        CliHarness.CopyDirectory(source, target);
        Directory.CreateDirectory(Path.Combine(target, "plots"));
        return target;
    }

    [Fact]
    public void An_old_format_run_loads_reproduces_and_resumes_exactly()
    {
        using var cli = new CliHarness();
        var a = CopyFixture(cli, "a");
        var b = CopyFixture(cli, "b");
        var old = Path.Combine(a, "checkpoints", "step-000004");
        using (var generator = TrainedGenerator.Load(old))
        {
            Assert.Equal(1, generator.Manifest.FormatVersion);
            Assert.Equal("generator-ema.atlt", generator.WeightsFile);
            Assert.Equal(4, generator.Manifest.Step);
        }

        // The grid it wrote at its last step names the .atlt weights; reproduce finds and checks them.
        var (code, output, error) = cli.Run("reproduce", Path.Combine(a, "samples", "step-000004.png"), "--run", a);
        if (Golden.CpuClass == RecordedOn)
        {
            Assert.True(code == 0, error + output);
            Assert.StartsWith("identical:", output.Trim());
        }
        else
        {
            // Other instruction sets round differently: the weights must match, the pixels may differ by a level.
            Assert.True(code is 0 or 1, error + output);
            Assert.Matches("^(identical|different):", output.Trim());
        }

        // Resume from the old checkpoint: 4 → 6 in one go and 4 → 5 → 6 write the same bytes, in the new format.
        Assert.Equal(0, cli.Run("train", "--resume", a, "--steps", "6", "--quiet").Code);
        Assert.Equal(0, cli.Run("train", "--resume", b, "--steps", "5", "--quiet").Code);
        var (resumed, _, resumeError) = cli.Run("train", "--resume", b, "--steps", "6", "--quiet");
        Assert.True(resumed == 0, resumeError);
        var ma = CheckpointStore.ReadManifest(Path.Combine(a, "checkpoints", "step-000006"));
        var mb = CheckpointStore.ReadManifest(Path.Combine(b, "checkpoints", "step-000006"));
        Assert.Equal(CheckpointManifest.CurrentFormatVersion, ma.FormatVersion);
        foreach (var part in new[] { CheckpointFiles.Generator, CheckpointFiles.Discriminator, CheckpointFiles.Average, CheckpointFiles.Optimizers })
        {
            var file = CheckpointFiles.FileName(part);
            Assert.True(ma.Files.ContainsKey(file), file);
            Assert.True(ma.Files[file] == mb.Files[file], $"{file} differs between one resume and two");
        }
        // The old checkpoint is still there and still loads (kept: --keep-checkpoints 3).
        using var again = TrainedGenerator.Load(old);
        Assert.Equal("generator-ema.atlt", again.WeightsFile);
    }
}

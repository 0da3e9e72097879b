using System.Globalization;
using System.Text;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using SkiaSharp;

namespace Atelier.Benchmarks;

/// <summary>Turns the ablation runs into docs/ablation.md: thumbnails, losses, wall time, diversity and events.</summary>
internal static class AblationReport
{
    public static void Write(string runsDirectory, string markdownPath, string minutes)
    {
        var docs = Path.GetDirectoryName(Path.GetFullPath(markdownPath))!;
        var images = Path.Combine(docs, "images", "ablation");
        Directory.CreateDirectory(images);
        var real = RealSpread();
        var sb = new StringBuilder();
        sb.AppendLine("# Ablation: the founding text's GAN family on Fashion-MNIST");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Each run: `./atelier train --data fashion-mnist --cpu-minutes {minutes} --threads 2` plus the flags shown, DCGAN 28×28 (widths 32), batch 64, seed 0, on {Environment.ProcessorCount} cores; produced by `benchmarks/ablation.sh {minutes}` on {DateTime.UtcNow:yyyy-MM-dd}.");
        sb.AppendLine("Every run gets the same CPU-time budget, so objectives with 5 critic steps make fewer generator steps.");
        sb.AppendLine();
        sb.AppendLine("Quality: Atelier has no FID yet (it arrives with the evaluation work); the table gives **spread**, the mean pairwise L2 distance");
        sb.AppendLine(CultureInfo.InvariantCulture, $"between 64 generated images divided by the same for 64 real training images ({real:F2}). Near 1 is real-like variety; well below 1 means collapse.");
        sb.AppendLine();
        sb.AppendLine("| run | flags | generator steps | wall time | final D loss | final G loss | spread | events | samples (seeds 0-63, EMA) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var dir in Directory.EnumerateDirectories(runsDirectory).Order(StringComparer.Ordinal))
        {
            var run = new RunFolder(dir);
            if (!File.Exists(run.OptionsFile)) continue;
            var name = Path.GetFileName(dir);
            var rows = MetricsLog.Read(run.MetricsFile);
            var steps = rows.Where(r => r["lossD"] is not null).ToList();
            var tail = steps.Skip(steps.Count * 9 / 10).ToList();
            double Mean(string key) => tail.Count == 0 ? double.NaN : tail.Average(r => r[key]!.GetValue<double>());
            var events = rows.Where(r => r["event"] is not null).Select(r => $"{r["event"]} at {r["step"]}").ToList();
            var latest = run.Checkpoints.Latest();
            string spread = "-", thumb = "-";
            if (latest is not null)
            {
                using var g = TrainedGenerator.Load(latest);
                var pixels = g.Generate(Enumerable.Range(0, 64).Select(i => (long)i).ToList());
                spread = (Spread(pixels, g.Model.Channels * g.Model.Resolution * g.Model.Resolution) / real).ToString("F2", CultureInfo.InvariantCulture);
                using var grid = ImageGrid.Compose(pixels, 64, g.Model.Channels, g.Model.Resolution, g.Model.Resolution, new ImageGridOptions(Padding: 1));
                ImageCodec.SavePng(grid, Path.Combine(images, name + ".png"));
                thumb = $"![{name}](images/ablation/{name}.png)";
            }
            var options = run.LoadOptions();
            var wall = steps.Count > 0 ? TimeSpan.FromSeconds(steps[^1]["wallSec"]!.GetValue<double>()) : TimeSpan.Zero;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {Flags(options)} | {(steps.Count > 0 ? steps[^1]["step"]!.GetValue<long>() : 0)} | {wall:mm\\:ss} | {Mean("lossD"):F3} | {Mean("lossG"):F3} | {spread} | {(events.Count == 0 ? "none" : string.Join("; ", events))} | {thumb} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Notes");
        sb.AppendLine();
        sb.AppendLine("Write observations about divergence and collapse below this line when the table is regenerated.");
        AtomicFile.WriteAllText(markdownPath, sb.ToString());
        Console.WriteLine($"wrote {markdownPath}");
    }

    private static string Flags(TrainingOptions o)
    {
        var flags = new List<string> { $"--objective {o.Objective}" };
        if (o.FeatureMatching) flags.Add("--feature-matching");
        if (o.Model.MinibatchKernels > 0) flags.Add("--minibatch-discrimination");
        if (o.HistoricalAveraging > 0) flags.Add(FormattableString.Invariant($"--historical-averaging {o.HistoricalAveraging}"));
        if (o.RealLabel != 1) flags.Add(FormattableString.Invariant($"--label-smoothing {o.RealLabel}"));
        if (o.Model.VirtualBatchNorm) flags.Add("--virtual-batchnorm");
        return "`" + string.Join(" ", flags) + "`";
    }

    /// <summary>Mean pairwise L2 distance between the images of a set.</summary>
    private static double Spread(float[] pixels, int per)
    {
        int n = pixels.Length / per;
        double total = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double d = 0;
                for (int k = 0; k < per; k++)
                {
                    double diff = pixels[i * per + k] - pixels[j * per + k];
                    d += diff * diff;
                }
                total += Math.Sqrt(d);
                pairs++;
            }
        return total / pairs;
    }

    private static double RealSpread()
    {
        var data = new DatasetResolver(AtelierPaths.FromEnvironment()).Open(new DatasetRequest("fashion-mnist"));
        using var loader = new BatchLoader(data, 64, 0, flip: false, prefetch: 1);
        var batch = loader.Build(0);
        return Spread(batch.Pixels, 28 * 28);
    }
}

using System.Globalization;
using System.Text;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Metrics;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;

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
        var paths = AtelierPaths.FromEnvironment();
        var data = new DatasetResolver(paths).Open(new DatasetRequest("fashion-mnist"));
        var cache = new FeatureCache(paths.Features);
        using var domain = FeatureNetworks.Open("domain:fashion-mnist", paths, log: Console.WriteLine);
        var domainReal = ImageSample.FromSource(data, DomainN, 0);
        var domainRealFeatures = cache.GetOrCompute(domain, domainReal);
        var sb = new StringBuilder();
        sb.AppendLine("# Ablation: the founding text's GAN family on Fashion-MNIST");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Each run: `./atelier train --data fashion-mnist --cpu-minutes {minutes} --threads 1` plus the flags shown, DCGAN 28×28 (widths 32), batch 64, seed 0; produced by `benchmarks/ablation.sh {minutes}` on {DateTime.UtcNow:yyyy-MM-dd} (2-core AMD EPYC, two runs at a time, one torch thread each).");
        sb.AppendLine("Every run gets the same budget of process CPU time, so objectives with 5 critic steps make fewer generator steps. Wall times depend on what else ran at the time (up to ten jobs shared the two cores); the CPU budget does not.");
        sb.AppendLine();
        sb.AppendLine("Quality of the final checkpoint's averaged (EMA) generator, each number with its protocol:");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- **FID (domain)**: `{domain.Id}`, {domain.Description}; {DomainN} generated (seeds 0..{DomainN - 1}) vs {domainReal.Description}; resize: {domain.Preprocessing}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- **precision / recall**: Kynkäänniemi 2019, k = 3, in the same domain features and samples.");
        sb.AppendLine("- The in-domain classifier suits 28×28 grey garments better than an ImageNet network (see [metrics](metrics.md)); its FIDs are on its own scale (Fashion-MNIST train vs test: 0.19, vs MNIST: 366) and are not comparable to published FIDs.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- **spread**: mean pairwise L2 distance between 64 generated images divided by the same for 64 real training images ({real:F2}). Well below 1 means collapse.");
        sb.AppendLine();
        sb.AppendLine("| run | flags | generator steps | CPU budget | wall time | final D loss | final G loss | FID (domain) | precision / recall | spread | events | samples (seeds 0-63, EMA) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
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
            string spread = "-", thumb = "-", fidDomain = "-", pr = "-";
            if (latest is not null)
            {
                using var g = TrainedGenerator.Load(latest);
                var fakeDomain = ImageSample.FromGenerator(g, DomainN);
                var fakeDomainFeatures = domain.Compute(fakeDomain.Pixels, fakeDomain.Count, 1, 28).Features;
                fidDomain = FrechetDistance.Compute(FeatureStatistics.Of(domainRealFeatures.Features, domain.Dimension), FeatureStatistics.Of(fakeDomainFeatures, domain.Dimension)).ToString("F2", CultureInfo.InvariantCulture);
                var (precision, recall) = PrecisionRecall.Compute(domainRealFeatures.Features, fakeDomainFeatures, domain.Dimension);
                pr = FormattableString.Invariant($"{precision:F2} / {recall:F2}");
                Console.WriteLine($"{name}: FID domain {fidDomain}, P/R {pr}");
                var pixels = g.Generate(Enumerable.Range(0, 64).Select(i => (long)i).ToList());
                spread = (Spread(pixels, g.Model.Channels * g.Model.Resolution * g.Model.Resolution) / real).ToString("F2", CultureInfo.InvariantCulture);
                using var grid = ImageGrid.Compose(pixels, 64, g.Model.Channels, g.Model.Resolution, g.Model.Resolution, new ImageGridOptions(Padding: 1));
                ImageCodec.SavePng(grid, Path.Combine(images, name + ".png"));
                thumb = $"![{name}](images/ablation/{name}.png)";
            }
            var options = run.LoadOptions();
            var wall = steps.Count > 0 ? TimeSpan.FromSeconds(steps[^1]["wallSec"]!.GetValue<double>()) : TimeSpan.Zero;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {Flags(options)} | {(steps.Count > 0 ? steps[^1]["step"]!.GetValue<long>() : 0)} | {Budget(name, minutes)} | {wall:mm\\:ss} | {Mean("lossD"):F3} | {Mean("lossG"):F3} | {fidDomain} | {pr} | {spread} | {(events.Count == 0 ? "none" : string.Join("; ", events))} | {thumb} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Notes");
        sb.AppendLine();
        // Observations written by hand survive a regenerated table.
        var previous = File.Exists(markdownPath) ? File.ReadAllText(markdownPath) : "";
        int notes = previous.IndexOf("## Notes", StringComparison.Ordinal);
        var kept = notes < 0 ? "" : previous[(notes + "## Notes".Length)..].Trim();
        sb.AppendLine(kept.Length > 0 && !kept.StartsWith("Write observations", StringComparison.Ordinal)
            ? kept
            : "Write observations about divergence and collapse below this line when the table is regenerated.");
        AtomicFile.WriteAllText(markdownPath, sb.ToString());
        Console.WriteLine($"wrote {markdownPath}");
    }

    private const int DomainN = 10_000;

    /// <summary>The CPU budget of a run: the ablation's, three times that for a run named *-triple-budget.</summary>
    private static string Budget(string name, string minutes) =>
        (name.EndsWith("-triple-budget", StringComparison.Ordinal) && double.TryParse(minutes, CultureInfo.InvariantCulture, out var m) ? (3 * m).ToString(CultureInfo.InvariantCulture) : minutes) + " CPU-min";

    private static string Flags(TrainingOptions o)
    {
        var flags = new List<string> { $"--objective {EnumText.Name(o.Game.Objective)}" };
        if (o.Game.FeatureMatching) flags.Add("--feature-matching");
        if (o.Model.MinibatchKernels > 0) flags.Add("--minibatch-discrimination");
        if (o.Game.HistoricalAveraging > 0) flags.Add(FormattableString.Invariant($"--historical-averaging {o.Game.HistoricalAveraging}"));
        if (o.Game.RealLabel != 1) flags.Add(FormattableString.Invariant($"--label-smoothing {o.Game.RealLabel}"));
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

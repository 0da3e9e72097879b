using System.Diagnostics;
using System.Globalization;
using Atelier.Data;
using Atelier.Metrics;
using Atelier.Models.Pretrained;
using Atelier.Projection;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Benchmarks;

/// <summary>
/// The projection study of docs/image-to-image.md: how close encoder-only, optimisation-only and hybrid projections
/// come, on images the run's generator made (whose true latents are known) and on held-out images of its dataset
/// (procedural art drawn with another seed than training's, so never seen), against the best of 256 random seeds.
/// One line per method and target set: PSNR, SSIM, ResNet18 distance, latent error where known, seconds per image.
/// </summary>
internal static class ProjectionStudy
{
    public static void Run(string runFolder, int count, int steps, int restarts, int encoderSteps)
    {
        using var generator = TrainedGenerator.Load(TrainedGenerator.ResolveCheckpoint(runFolder));
        var m = generator.Model;
        var dataSpec = generator.Manifest.Training.Data;
        Console.WriteLine($"run {runFolder}: {dataSpec}, {m.Resolution} px, latent {m.LatentSize}; n = {count} per set, {steps} steps x {restarts} restarts, encoder {encoderSteps} steps");
        var watch = Stopwatch.StartNew();
        using var encoder = EncoderCache.LoadOrTrain(generator, encoderSteps, 0, Console.WriteLine);
        Console.WriteLine($"encoder ready in {watch.Elapsed.TotalSeconds:F0} s");
        using var network = ResNet18Network.Load();
        using var distance = new PerceptualDistance(network);
        var projector = new Projector(generator.Network, m.LatentSize, network);

        using var scope = NewDisposeScope();
        var truths = Latents.ForSeeds([.. Enumerable.Range(10_000, count).Select(i => (long)i)], m.LatentSize);
        Tensor generated;
        using (no_grad()) generated = generator.Network.forward(truths);
        var source = new DatasetResolver(Platform.AtelierPaths.FromEnvironment()).Open(new DatasetRequest(dataSpec, m.Resolution, m.Channels, Seed: 987_654));
        var bytes = new byte[count * m.Channels * m.Resolution * m.Resolution];
        int per = m.Channels * m.Resolution * m.Resolution;
        for (int i = 0; i < count; i++) source.Read(i, bytes.AsSpan(i * per, per));
        var heldOut = tensor(bytes.Select(Imaging.ImageCodec.ToUnit).ToArray(), [count, m.Channels, m.Resolution, m.Resolution]);

        Console.WriteLine("| targets | method | PSNR dB | SSIM | ResNet18 distance | latent error | s per image |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, targets, known) in new[] { ("generated (seeds 10000+)", generated, (Tensor?)truths), ("held-out dataset images", heldOut, null) })
        {
            Report(generator, name, "best of 256 seeds", BestSeeds(generator, targets), targets, known, distance, 0);
            foreach (var mode in new[] { ProjectionMode.Encoder, ProjectionMode.Optimize, ProjectionMode.Hybrid })
            {
                var options = new ProjectionOptions(mode, steps, restarts);
                var found = new List<float[]>();
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                    found.Add(projector.Project(targets[i..(i + 1)], null, options, mode == ProjectionMode.Optimize ? null : encoder)[0].Latent);
                double seconds = clock.Elapsed.TotalSeconds / count;
                Report(generator, name, mode.ToString().ToLowerInvariant(), stack(found.Select(f => tensor(f)).ToArray()), targets, known, distance, seconds);
            }
        }
    }

    /// <summary>For each target the latent of the seed (0..255) whose image has the least squared pixel difference.</summary>
    private static Tensor BestSeeds(TrainedGenerator generator, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var z = Latents.ForSeeds([.. Enumerable.Range(0, 256).Select(i => (long)i)], generator.Model.LatentSize);
        Tensor images;
        using (no_grad()) images = generator.Network.forward(z);
        var d = (targets.flatten(1).unsqueeze(1) - images.flatten(1).unsqueeze(0)).square().mean([2]);
        return z[d.argmin(1)].MoveToOuterDisposeScope();
    }

    private static void Report(TrainedGenerator generator, string targetsName, string method, Tensor latents, Tensor targets, Tensor? truths, PerceptualDistance distance, double seconds)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var g = generator.Network.forward(latents);
        var psnr = ReconstructionQuality.Psnr(g, targets);
        var ssim = ReconstructionQuality.Ssim(g, targets);
        var feature = distance.Distance(g, targets);
        string error = truths is null ? "–" : ((latents - truths).square().sum([1]).sqrt() / truths.square().sum([1]).sqrt()).mean().item<float>().ToString("F3", CultureInfo.InvariantCulture);
        Console.WriteLine(FormattableString.Invariant(
            $"| {targetsName} | {method} | {Stat(psnr, "F1")} | {Stat(ssim, "F3")} | {Stat(feature, "F3")} | {error} | {(seconds > 0 ? seconds.ToString("F1", CultureInfo.InvariantCulture) : "–")} |"));
    }

    private static string Stat(Tensor values, string format)
    {
        var v = values.to(float64).data<double>().ToArray();
        double mean = v.Average(), sd = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Sum() / Math.Max(1, v.Length - 1));
        return mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + sd.ToString(format, CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;
using System.Globalization;
using Atelier.Data.Procedural;
using Atelier.Models.Projected;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Benchmarks;

/// <summary>
/// The designs of the small-data study at 64x64 through the real training loop: images per second per design, and
/// for the projected discriminator the share of a step spent in the frozen ResNet18 (timed alone on the same batches:
/// two passes without a graph for D's step, one pass with its backward to the pixels for G's).
/// </summary>
internal static class DesignBenchmark
{
    private static readonly (string Name, TrainingRequest Request)[] Designs =
    [
        ("dcgan-small-art w32", new TrainingRequest { Preset = "small-art", GeneratorWidth = 32, DiscriminatorWidth = 32 }),
        ("fastgan w8 + pixel w32", new TrainingRequest { Model = "fastgan", Preset = "small-art", GeneratorWidth = 8, DiscriminatorWidth = 32 }),
        ("fastgan w16 + pixel w32", new TrainingRequest { Model = "fastgan", Preset = "small-art", GeneratorWidth = 16, DiscriminatorWidth = 32 }),
        ("dcgan w32 + projected", new TrainingRequest { Discriminator = Models.DiscriminatorKind.Projected, BatchSize = 32, GeneratorWidth = 32 }),
        ("fastgan w8 + projected", new TrainingRequest { Model = "fastgan", Discriminator = Models.DiscriminatorKind.Projected, BatchSize = 32, GeneratorWidth = 8 }),
    ];

    public static void Run(int threads, int steps)
    {
        TorchRuntime.ConfigureThreads(threads);
        foreach (var (name, request) in Designs)
        {
            var options = TrainingRecipe.Resolve(request with { Data = "procedural:kandinsky", Resolution = 64, Threads = threads, Steps = steps + 2, SampleEvery = 0, CheckpointEvery = 0 });
            var source = new ProceduralSource(ProceduralStyle.Find("kandinsky")!, 64, 3);
            var dir = Path.Combine(Path.GetTempPath(), "atelier-designs-" + Guid.NewGuid().ToString("N"));
            var times = new List<double>();
            var clock = Stopwatch.StartNew();
            var trainer = new GanTrainer(options, source, RunFolder.CreateAt(dir))
            {
                Progress = s =>
                {
                    if (s.Step > 2) times.Add(clock.Elapsed.TotalSeconds);
                    clock.Restart();
                },
            };
            trainer.Run();
            Directory.Delete(dir, true);
            double step = times.OrderBy(t => t).ElementAt(times.Count / 2);
            int batch = options.Optimization.BatchSize;
            string frozen = options.Model.Discriminator == Models.DiscriminatorKind.Projected ? $" frozen_share={FrozenSeconds(batch) / step:P0}" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"design=\"{name}\" threads={threads} batch={batch} step_s={step:F3} img_s={batch / step:F1}{frozen}"));
        }
    }

    /// <summary>Seconds of the frozen network in one projected step of this batch: real and fake without a graph, fake with backward.</summary>
    private static double FrozenSeconds(int batch)
    {
        using var features = new ProjectedFeatures();
        features.eval();
        foreach (var p in features.parameters()) p.requires_grad = false;
        var samples = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(batch, 3, 64, 64);
            var clock = Stopwatch.StartNew();
            using (no_grad())
            {
                features.Features(x);
                features.Features(x);
            }
            var input = x.detach().requires_grad_(true);
            var maps = features.Features(input);
            cat(maps.Select(m => m.flatten(1)).ToArray(), 1).sum().backward();
            samples.Add(clock.Elapsed.TotalSeconds);
        }
        return samples.Order().ElementAt(2);
    }
}

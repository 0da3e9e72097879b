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
        ("fastgan w16 + projected", new TrainingRequest { Model = "fastgan", Discriminator = Models.DiscriminatorKind.Projected, BatchSize = 32, GeneratorWidth = 16 }),
        ("fastgan w16 + ensemble", new TrainingRequest { Model = "fastgan", Discriminator = Models.DiscriminatorKind.Ensemble, BatchSize = 32, GeneratorWidth = 16, DiscriminatorWidth = 32, SpectralNorm = true, CriticNorm = Models.Normalization.None }),
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
            string frozen = options.Model.ProjectsFeatures ? $" frozen_share={FrozenSeconds(batch) / step:P0}" : "";
            double flop = StepFlop(options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"design=\"{name}\" threads={threads} batch={batch} step_s={step:F3} img_s={batch / step:F1} gflop_step={flop / 1e9:F1} gflop_s={flop / step / 1e9:F1}{frozen}"));
        }
    }

    /// <summary>
    /// The frozen ResNet18 at 64x64, batch 32, in the default (NCHW) layout against channels-last strides (TorchSharp
    /// 0.107 has no memory_format argument; a permuted copy gives the same strides libtorch's channels_last does),
    /// interleaved so that both see the same machine: forward without a graph, and forward with backward to the pixels.
    /// </summary>
    public static void Layouts(int threads, int repeats)
    {
        TorchRuntime.ConfigureThreads(threads);
        using var features = new ProjectedFeatures();
        foreach (var p in features.parameters()) p.requires_grad = false;
        var times = new Dictionary<string, List<double>>();
        for (int r = 0; r < repeats + 1; r++)
            foreach (bool channelsLast in new[] { false, true })
                foreach (bool backward in new[] { false, true })
                {
                    using var scope = NewDisposeScope();
                    var x = randn(32, 3, 64, 64);
                    if (channelsLast) x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
                    var clock = Stopwatch.StartNew();
                    if (backward)
                    {
                        var input = x.detach().requires_grad_(true);
                        cat(features.Features(input).Select(m => m.flatten(1)).ToArray(), 1).sum().backward();
                    }
                    else
                    {
                        using var noGrad = no_grad();
                        features.Features(x);
                    }
                    var key = $"{(channelsLast ? "channels-last" : "nchw")} {(backward ? "forward+backward" : "forward")}";
                    if (r > 0) (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(clock.Elapsed.TotalSeconds);
                }
        foreach (var (key, list) in times)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frozen layout=\"{key}\" threads={threads} batch=32 res=64 median_s={list.Order().ElementAt(list.Count / 2):F3}"));
    }

    /// <summary>
    /// FLOP of one training step, in the peer's accounting (../shared/peer: 2·B·(3·MAC_G + 9·MAC_D)) with the frozen
    /// network's MACs counted 4 times (real and generated images in D's step; generated ones forward and back to the
    /// pixels, without weight gradients, in G's). MACs per image are counted by forward hooks on every layer that owns a
    /// matrix or convolution weight.
    /// </summary>
    /// <summary>The accounting checked against the peer's own: dcgan64 (widths 64, batch 64) is 159.8 GFLOP per step there.</summary>
    public static void PeerFlop()
    {
        var options = new TrainingOptions("random", new Models.ModelOptions("dcgan", 64, 3, 100, 64, 64)) { Optimization = new() { BatchSize = 64 } };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flop cfg=dcgan64 gflop_step={StepFlop(options) / 1e9:F1} (peer: 159.8)"));
    }

    private static double StepFlop(TrainingOptions options)
    {
        using var g = Models.GanModels.CreateGenerator(options.Model);
        using var d = Models.GanModels.CreateDiscriminator(options.Model);
        g.eval();
        d.eval();
        var frozen = Models.FrozenModule.In(d).Select(f => f.Module).ToList();
        double generator, trained = 0, inFrozen = 0;
        using (no_grad())
        {
            generator = Macs(g, () => g.forward(randn(1, options.Model.LatentSize)), _ => true);
            var image = randn(1, options.Model.Channels, options.Model.Resolution, options.Model.Resolution);
            double all = Macs(d, () => d.forward(image), _ => true);
            inFrozen = frozen.Sum(f => Macs(f, () => d.forward(image), _ => true));
            trained = all - inFrozen;
        }
        return 2.0 * options.Optimization.BatchSize * (3 * generator + 9 * trained + 4 * inFrozen);
    }

    /// <summary>Multiply-accumulates of one call of <paramref name="run"/> in the weighted layers of <paramref name="root"/>.</summary>
    private static double Macs(nn.Module root, Action run, Func<nn.Module, bool> include)
    {
        double total = 0;
        var handles = new List<Action>();
        foreach (var (_, module) in root.named_modules())
        {
            if (module is not nn.Module<Tensor, Tensor> layer || !include(module)) continue;
            var weight = module.named_parameters(recurse: false).Where(p => p.name == "weight" && p.parameter.dim() >= 2).Select(p => p.parameter).FirstOrDefault();
            if (weight is null) continue;
            bool transposed = module is TorchSharp.Modules.ConvTranspose2d;
            var remover = layer.register_forward_hook((m, input, output) =>
            {
                total += transposed ? (double)input.numel() * weight.numel() / weight.shape[0] : (double)output.numel() * weight.numel() / weight.shape[0];
                return output;
            });
            handles.Add(remover.remove);
        }
        run();
        foreach (var remove in handles) remove();
        return total;
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

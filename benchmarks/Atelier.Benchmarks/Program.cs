using System.Diagnostics;
using System.Globalization;
using Atelier.Benchmarks;
using Atelier.Data;
using Atelier.Data.Procedural;
using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using static TorchSharp.torch;

// Atelier's side of the peer yardstick (../shared/peer/dcgan_step.py): the same shapes, batch, optimiser,
// loss and threads, timed through Atelier's real training loop (GanTrainer) and generation path.
// usage: Atelier.Benchmarks {mnist|dcgan64} [train_iters] [gen_iters]
//        Atelier.Benchmarks loader <procedural-style> <resolution> [batches]
//        Atelier.Benchmarks memory <mnist|dcgan64> <steps>
//        Atelier.Benchmarks layouts <threads> [repeats]  (the frozen ResNet18: NCHW against channels-last strides)
//        Atelier.Benchmarks designs <threads> [steps]   (the small-data designs at 64x64: img/s, share of the step in the frozen network)
//        Atelier.Benchmarks projection <run> [n=8] [steps=300] [restarts=4] [encoder steps=1000] [threads=2]  (docs/image-to-image.md)
//        Atelier.Benchmarks studio-load <runs> <run> [seconds per level]
//        Atelier.Benchmarks studio-screenshots <runs> <run> <out folder>
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "mnist";
TorchRuntime.ConfigureThreads(2);
switch (mode)
{
    case "mnist":
    case "dcgan64":
        Bench(mode, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0);
        break;
    case "loader":
        Loader(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50);
        break;
    case "memory":
        Memory(args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
        break;
    case "designs":
        DesignBenchmark.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12);
        break;
    case "flop":
        DesignBenchmark.PeerFlop();
        break;
    case "layouts":
        DesignBenchmark.Layouts(int.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        break;
    case "studio-load":
        await StudioBenchmarks.Load(args[1], args[2], args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 20);
        break;
    case "studio-screenshots":
        await StudioBenchmarks.Screenshots(args[1], args[2], args[3]);
        break;
    case "projection":
        TorchRuntime.ConfigureThreads(args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 2);
        ProjectionStudy.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300,
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 4, args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000);
        break;
    case "ablation-report":
        AblationReport.Write(args[1], args[2], args.Length > 3 ? args[3] : "?");
        break;
    default:
        Console.Error.WriteLine("usage: Atelier.Benchmarks {mnist|dcgan64} [train_iters] [gen_iters] | loader <style> <res> [batches] | memory <cfg> <steps>");
        return 2;
}
return 0;

static (ModelOptions Model, int Train, int Gen) Config(string name) => name switch
{
    "mnist" => (new ModelOptions("classic", 28, 1, 100, 64, 64), 100, 100),
    _ => (new ModelOptions("dcgan", 64, 3, 100, 64, 64), 10, 10),
};

static ImageSet RandomData(ModelOptions m, int count)
{
    var bytes = new byte[(long)count * m.Channels * m.Resolution * m.Resolution];
    new Random(1).NextBytes(bytes);
    return new ImageSet("random", bytes, count, m.Channels, m.Resolution, null, null, "random-" + m.Resolution);
}

static void Bench(string name, int trainIters, int genIters)
{
    const int warmup = 3, batch = 64, genBatch = 256;
    var (model, defaultTrain, defaultGen) = Config(name);
    trainIters = trainIters > 0 ? trainIters : defaultTrain;
    genIters = genIters > 0 ? genIters : defaultGen;
    var options = new TrainingOptions("random", model)
    {
        Optimization = new() { BatchSize = batch },
        Schedule = new() { Steps = warmup + trainIters, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 1 },
        Augmentation = new() { Flip = false },
        Threads = 2,
    };
    var dir = Path.Combine(Path.GetTempPath(), "atelier-bench-" + Guid.NewGuid().ToString("N"));
    var times = new List<double>();
    var clock = Stopwatch.StartNew();
    double lossD = 0, lossG = 0;
    var trainer = new GanTrainer(options, RandomData(model, batch * 8), RunFolder.CreateAt(dir))
    {
        Progress = s =>
        {
            if (s.Step > warmup) times.Add(clock.Elapsed.TotalSeconds);
            else if (s.Step == warmup) times.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            (lossD, lossG) = (s.DiscriminatorLoss, s.GeneratorLoss);
        },
    };
    // Progress fires after each step: the gap between two calls is one step of the real loop.
    clock.Restart();
    trainer.Run();
    var train = times.Skip(1).ToList();
    using var g = GanModels.CreateGenerator(model);
    g.eval();
    var genTimes = new List<double>();
    for (int i = 0; i < warmup + genIters; i++)
    {
        var latents = Latents.ForStep(0, i, genBatch, model.LatentSize);
        var t = Stopwatch.StartNew();
        var pixels = ImageSynthesis.FromLatents(g, latents);
        t.Stop();
        latents.Dispose();
        if (i >= warmup) genTimes.Add(t.Elapsed.TotalSeconds);
        GC.KeepAlive(pixels);
    }
    Directory.Delete(dir, true);
    double Med(List<double> xs) => xs.OrderBy(x => x).ElementAt(xs.Count / 2);
    Console.WriteLine((
        $"fw=atelier-{TorchRuntime.AtelierVersion}/torchsharp-{TorchRuntime.TorchSharpVersion} cfg={name} threads={get_num_threads()} train_iters={train.Count} " +
        $"train_img_s={batch * train.Count / train.Sum():F1} train_img_s_med={batch / Med(train):F1} gen_iters={genIters} " +
        $"gen_img_s={genBatch * genTimes.Count / genTimes.Sum():F1} gen_img_s_med={genBatch / Med(genTimes):F1} lossD={lossD:F3} lossG={lossG:F3} " +
        $"peak_rss_mib={Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)}"));
}

static void Loader(string style, int resolution, int batches)
{
    var source = new ProceduralSource(ProceduralStyle.Find(style)!, resolution, 3);
    using var loader = new BatchLoader(source, 64, 0, flip: true);
    loader.Next();
    var t = Stopwatch.StartNew();
    for (int i = 0; i < batches; i++) loader.Next();
    Console.WriteLine(FormattableString.Invariant($"loader style={style} res={resolution} img_s={64 * batches / t.Elapsed.TotalSeconds:F0}"));
}

static void Memory(string name, long steps)
{
    var (model, _, _) = Config(name);
    var options = new TrainingOptions("random", model)
    {
        Schedule = new() { Steps = steps, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 1 },
        Augmentation = new() { Flip = false },
        Threads = 2,
    };
    var dir = Path.Combine(Path.GetTempPath(), "atelier-mem-" + Guid.NewGuid().ToString("N"));
    var process = Process.GetCurrentProcess();
    var trainer = new GanTrainer(options, RandomData(model, 64 * 8), RunFolder.CreateAt(dir))
    {
        Progress = s =>
        {
            if (s.Step % Math.Max(1, steps / 10) != 0) return;
            process.Refresh();
            Console.WriteLine(FormattableString.Invariant($"memory cfg={name} step={s.Step} rss_mib={process.WorkingSet64 / (1 << 20)} managed_mib={GC.GetTotalMemory(false) / (1 << 20)} allocated_mib={GC.GetTotalAllocatedBytes() / (1 << 20)} gen2_collections={GC.CollectionCount(2)} img_s={s.ImagesPerSecond:F0}"));
        },
    };
    trainer.Run();
    Directory.Delete(dir, true);
}

using Atelier.Data;
using Atelier.Imaging;
using Atelier.Metrics;
using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;

// Train a small DCGAN for 20 steps on built-in procedural art (into runs/, or the folder given), generate an image, evaluate the run.
var options = new TrainingOptions("procedural:kandinsky", new ModelOptions("dcgan", Resolution: 32, Channels: 3, LatentSize: 32, GeneratorWidth: 16, DiscriminatorWidth: 16))
{
    Optimization = new() { BatchSize = 16 },
    Schedule = new() { Steps = 20 },
    Threads = 2,
};
var paths = AtelierPaths.FromEnvironment();
var data = new DatasetResolver(paths).Open(new DatasetRequest(options.Data, options.Model.Resolution, options.Model.Channels));
var run = args.Length > 0 ? RunFolder.CreateAt(args[0]) : RunFolder.CreateNumbered("runs", "dcgan", options.Data, 32);
var trained = new GanTrainer(options, data, run).Run();
Console.WriteLine(trained.Message);

using var generator = TrainedGenerator.Load(TrainedGenerator.ResolveCheckpoint(run.Path));
var pixels = generator.Generate([7]);
using var image = ImageCodec.FromPixels(pixels, generator.Model.Channels, generator.Model.Resolution, generator.Model.Resolution);
var png = Path.Combine(run.Path, "seed0007.png");
ImageCodec.SavePng(image, png, generator.Provenance("seed 7"), DigitalSource.TrainedAlgorithmicMedia);
Console.WriteLine($"generated: {png}");

var report = EvaluationPipeline.Run(new EvaluationRequest { Fake = run.Path, Count = 200 }, paths);
Console.WriteLine($"evaluated: {string.Join(", ", report.Result.Metrics.Select(m => $"{m.Name} {m.Value:G4}"))}");
Console.WriteLine($"protocol: {report.Result.Protocol.Line}");

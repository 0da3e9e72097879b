using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Metrics;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier evaluate`: FID / KID / IS / precision–recall with their protocol, and copy detection.</summary>
internal static class EvaluateCommand
{
    public static Option<string?> InceptionWeights() => new("--inception-weights")
    {
        Description = $"Weights for --network inception-v3: pytorch-fid's pt_inception-2015-12-05-6726825d.pth or a torchvision inception_v3 state dict (.pth or .safetensors). Also: ${InceptionV3Features.WeightsVariable}.",
    };

    public static Command Create(CliContext context)
    {
        var real = new Option<string?>("--real") { Description = "Real dataset (default for a run: the dataset it was trained on)." };
        var fake = new Option<string>("--fake") { Description = "A run folder (its generator makes the images) or a dataset.", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "With a run: latest, best, a step number or a checkpoint folder name.", DefaultValueFactory = _ => "latest" };
        var metrics = new Option<string?>("--metrics") { Description = "Comma-separated: fid, kid, is, pr (default fid,kid,pr, plus is when the network has classes)." };
        var network = new Option<string>("--network") { Description = "resnet18-imagenet (offline default), inception-v3 (needs --inception-weights) or domain:<labelled dataset>.", DefaultValueFactory = _ => FeatureNetworks.Default };
        var n = new Option<int>("--n") { Description = "Images per side.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the real sample (and KID subsets).", DefaultValueFactory = _ => 0 };
        var copies = new Option<bool?>("--copies") { Description = "Check whether generated images copy training images (default: on for runs). --no-copies turns it off." };
        var noCopies = new Option<bool>("--no-copies") { Description = "Skip the copy check." };
        var output = new Option<string?>("--out") { Description = "Folder for the report (default: <run>/evaluation/<checkpoint>, or ./evaluation)." };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw generator instead of its moving average." };
        var inception = InceptionWeights();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("evaluate", """
            Measure a run (or a dataset) against real data: FID, KID, Inception Score, precision and recall, each printed
            with its protocol (network, sample sizes, real split, resize, seed), and check for copies of training images.

            Examples:
              atelier evaluate --fake runs/00001-dcgan-fashion-mnist28
              atelier evaluate --fake runs/00001-dcgan-fashion-mnist28 --checkpoint best --network domain:fashion-mnist --metrics fid,kid,is,pr
              atelier evaluate --real fashion-mnist --fake fashion-mnist:test --n 10000
              atelier evaluate --fake runs/00002-dcgan-art64 --network inception-v3 --inception-weights pt_inception-2015-12-05-6726825d.pth
            """)
        {
            real, fake, checkpoint, metrics, network, n, seed, copies, noCopies, output, noEma, inception, dataRoot,
        };
        command.SetAction(parse =>
        {
            int count = parse.GetValue(n);
            if (count is < 10 or > 100_000) throw new UsageException($"--n: {count} is outside 10..100000.");
            long seedValue = parse.GetValue(seed);
            var fakeSpec = parse.GetValue(fake)!;
            bool isRun = Directory.Exists(fakeSpec) && (File.Exists(Path.Combine(fakeSpec, "options.json")) || File.Exists(Path.Combine(fakeSpec, CheckpointStore.ManifestName)));
            var resolver = new DatasetResolver(context.Paths, context.Warn);
            var log = (string m) => context.Console.MarkupLine($"[grey]{Markup.Escape(m)}[/]");

            TrainedGenerator? generator = null;
            try
            {
                IImageSource realSource;
                IImageSource? fakeSource = null;
                string? runPath = null;
                if (isRun)
                {
                    var checkpointPath = TrainedGenerator.ResolveCheckpoint(fakeSpec, parse.GetValue(checkpoint));
                    generator = TrainedGenerator.Load(checkpointPath, useAverage: !parse.GetValue(noEma));
                    runPath = Path.GetDirectoryName(Path.GetDirectoryName(checkpointPath))!;
                    var trained = CheckpointStore.ReadManifest(checkpointPath).Training;
                    realSource = resolver.Open(new DatasetRequest(parse.GetValue(real) ?? trained.Data, generator.Model.Resolution, generator.Model.Channels,
                        parse.GetValue(dataRoot) ?? trained.DataRoot, trained.Fit, Seed: trained.Seed));
                }
                else
                {
                    var realSpec = parse.GetValue(real) ?? throw new UsageException("--real: give the real dataset (only a run knows its own).");
                    realSource = resolver.Open(new DatasetRequest(realSpec, DataRoot: parse.GetValue(dataRoot)));
                    fakeSource = resolver.Open(new DatasetRequest(fakeSpec, realSource.Resolution, realSource.Channels, parse.GetValue(dataRoot)));
                }

                using var featureNetwork = FeatureNetworks.Open(parse.GetValue(network)!, context.Paths, parse.GetValue(dataRoot), parse.GetValue(inception), log);
                var metricNames = parse.GetValue(metrics) is string text
                    ? EvaluationOptions.Parse(text)
                    : featureNetwork.ClassCount > 0 ? ["fid", "kid", "is", "pr"] : ["fid", "kid", "pr"];
                bool checkCopies = !parse.GetValue(noCopies) && (parse.GetValue(copies) ?? isRun);
                var cache = new FeatureCache(context.Paths.Features);

                var realSample = ImageSample.FromSource(realSource, count, seedValue);
                log($"real: {realSample.Description}");
                var realFeatures = cache.GetOrCompute(featureNetwork, realSample);
                log($"  features {(cache.LastWasHit ? "from the cache" : "computed and cached")}");

                ImageSample fakeSample;
                FeatureBatch fakeFeatures;
                if (generator is not null)
                {
                    fakeSample = ImageSample.FromGenerator(generator, count);
                    log($"fake: {fakeSample.Description}");
                    fakeFeatures = featureNetwork.Compute(fakeSample.Pixels, fakeSample.Count, fakeSample.Channels, fakeSample.Resolution);
                }
                else
                {
                    bool same = fakeSource!.Fingerprint == realSource.Fingerprint;
                    fakeSample = ImageSample.FromSource(fakeSource, count, seedValue, skip: same ? realSample.Count : 0);
                    log($"fake: {fakeSample.Description}");
                    fakeFeatures = cache.GetOrCompute(featureNetwork, fakeSample);
                }

                CopyDetector.Result? copyResult = null;
                if (checkCopies)
                {
                    int remaining = realSource.IsUnlimited ? count : realSource.Count - realSample.Count;
                    ImageSample? heldOut = remaining > 0 ? ImageSample.FromSource(realSource, Math.Min(count, remaining), seedValue, skip: realSample.Count) : null;
                    var heldOutFeatures = heldOut is null ? null : cache.GetOrCompute(featureNetwork, heldOut).Features;
                    copyResult = CopyDetector.Run(realSample, realFeatures.Features, heldOut, heldOutFeatures, fakeSample, fakeFeatures.Features, featureNetwork.Dimension);
                }

                var result = Evaluator.Run(featureNetwork, realSample, realFeatures, fakeSample, fakeFeatures, new EvaluationOptions(metricNames, seedValue), copyResult);
                Print(context, result);

                var reportDir = parse.GetValue(output) ?? (runPath is not null
                    ? Path.Combine(runPath, "evaluation", Path.GetFileName(generator!.Checkpoint))
                    : Path.Combine(Environment.CurrentDirectory, "evaluation"));
                Directory.CreateDirectory(reportDir);
                var record = new Dictionary<string, object?>
                {
                    ["protocol"] = result.Protocol,
                    ["metrics"] = result.Metrics.ToDictionary(m => m.Name, m => m.Std is null ? (object)m.Value : new { value = m.Value, std = m.Std }),
                    ["checkpoint"] = generator?.Checkpoint,
                    ["time"] = DateTimeOffset.UtcNow,
                };
                var jsonPath = Path.Combine(reportDir, "evaluation.json");
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(record, RunFolder.Json));
                context.Console.WriteLine($"report:     {jsonPath}");
                if (copyResult is not null)
                {
                    var (png, html) = CopyReport.Write(reportDir, copyResult, realSample, fakeSample, 0, result.Protocol.Line);
                    context.Console.WriteLine($"copies:     {html}");
                    context.Console.WriteLine($"            {png}");
                }
                if (runPath is not null)
                {
                    using var log2 = MetricsLog.Open(new RunFolder(runPath).MetricsFile);
                    var row = new Dictionary<string, object?>
                    {
                        ["event"] = "evaluate",
                        ["step"] = generator!.Manifest.Step,
                        ["checkpoint"] = Path.GetFileName(generator.Checkpoint),
                    };
                    foreach (var m in result.Metrics) row[m.Name] = m.Value;
                    row["protocol"] = result.Protocol.Line;
                    log2.Write(row);
                }
                return ExitCodes.Success;
            }
            finally
            {
                generator?.Dispose();
            }
        });
        return command;
    }

    private static void Print(CliContext context, EvaluationResult result)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        foreach (var m in result.Metrics)
            table.AddRow(m.Name, m.Formatted, Meaning(m.Name));
        context.Console.Write(table);
        var p = result.Protocol;
        context.Console.WriteLine($"network:    {p.Network} — {p.NetworkDescription}");
        context.Console.WriteLine($"resize:     {p.Resize}");
        context.Console.WriteLine($"real:       {p.Real}");
        context.Console.WriteLine($"fake:       {p.Fake}");
        context.Console.WriteLine($"protocol:   n_real={p.NReal} n_fake={p.NFake} seed={p.Seed}");
        if (p.Network != InceptionV3Features.NetworkId || !p.NetworkDescription.Contains("pytorch-fid", StringComparison.Ordinal))
            context.Console.WriteLine("note:       not comparable to published FID, which uses pytorch-fid's Inception weights (see docs/metrics.md)");
        if (result.Copies is { } c)
            context.Console.WriteLine($"copies:     baseline = {c.Baseline}");
    }

    private static string Meaning(string name) => name switch
    {
        "fid" => "Fréchet distance (lower is better)",
        "kid" => "unbiased MMD², mean ± std (lower is better)",
        "is" => "mean ± std over 10 splits (higher is better)",
        "precision" => "fidelity: fakes on the real manifold",
        "recall" => "diversity: reals on the fake manifold",
        "memorisation_pixels" => "fakes nearer a training image than 99% of reals",
        "memorisation_features" => "the same in features (reals: about 0.01)",
        "mifid" => "FID / memorisation distance when it is < 0.1",
        _ => "",
    };

    /// <summary>The FID tracker of `train --eval-every`: real features of the training data, cached.</summary>
    public static TrainingFid TrainingEvaluator(CliContext context, TrainingOptions options, IImageSource data, string? inceptionWeights)
    {
        var network = FeatureNetworks.Open(options.EvalNetwork, context.Paths, options.DataRoot, inceptionWeights,
            m => context.Console.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        return new TrainingFid(network, data, options.EvalSamples, new FeatureCache(context.Paths.Features), options.Seed);
    }
}

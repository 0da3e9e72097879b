using System.Text.Json;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Log;

namespace Atelier.Metrics;

/// <summary>
/// The evaluation pipeline: the real sample (features cached), the generated or second-dataset sample, the metrics
/// with their protocol, the copy check, the report folder, and for a run an "evaluation" event in its log. Used by
/// `atelier evaluate`; training's schedule measures FID with <see cref="TrainingFid"/> on the same networks and cache.
/// </summary>
public static class EvaluationPipeline
{
    /// <summary>Whether <paramref name="spec"/> is a run folder (options.json) or a checkpoint folder, rather than a dataset.</summary>
    public static bool IsRun(string spec) =>
        Directory.Exists(spec) && (File.Exists(Path.Combine(spec, "options.json")) || File.Exists(Path.Combine(spec, CheckpointStore.ManifestName)));

    /// <summary>
    /// Measures <see cref="EvaluationRequest.Fake"/> against the real data and writes the report folder. Throws
    /// <see cref="OptionException"/> naming the flag when the request cannot be met.
    /// </summary>
    /// <param name="paths">Where the feature cache and installed datasets are.</param>
    /// <param name="warn">Told of skipped files and weak settings (e.g. a small n).</param>
    /// <param name="log">Told what each stage does.</param>
    public static EvaluationReport Run(EvaluationRequest r, AtelierPaths paths, Action<string>? warn = null, Action<string>? log = null)
    {
        log ??= _ => { };
        Action<long, long>? Stage(string stage) => r.Progress is { } report ? (done, total) => report(new EvaluationProgress(stage, done, total)) : null;
        if (r.Count is < 10 or > 100_000) throw new OptionException($"--n: {r.Count} is outside 10..100000.");
        bool isRun = IsRun(r.Fake);
        // A path that is not there is the --fake the user mistyped, not a missing --real.
        if (!isRun && (r.Fake.Contains('/', StringComparison.Ordinal) || r.Fake.StartsWith('.')) && !Directory.Exists(r.Fake) && !File.Exists(r.Fake))
            throw new OptionException($"--fake: '{r.Fake}' does not exist; give a run folder (runs/NNNNN-...) or a dataset.");
        var resolver = new DatasetResolver(paths, warn ?? (_ => { }));
        TrainedGenerator? generator = null;
        try
        {
            IImageSource realSource;
            IImageSource? fakeSource = null;
            string? runPath = null;
            if (isRun)
            {
                var checkpointPath = TrainedGenerator.ResolveCheckpoint(r.Fake, r.Checkpoint);
                generator = TrainedGenerator.Load(checkpointPath, useAverage: r.UseAverage);
                runPath = Path.GetDirectoryName(Path.GetDirectoryName(checkpointPath))!;
                var trained = generator.Manifest.Training;
                realSource = resolver.Open(new DatasetRequest(r.Real ?? trained.Data, generator.Model.Resolution, generator.Model.Channels,
                    r.DataRoot ?? trained.DataRoot, trained.Fit, Seed: trained.Seed));
            }
            else
            {
                var realSpec = r.Real ?? throw new OptionException("--real: give the real dataset (only a run knows its own).");
                realSource = resolver.Open(new DatasetRequest(realSpec, DataRoot: r.DataRoot));
                fakeSource = resolver.Open(new DatasetRequest(r.Fake, realSource.Resolution, realSource.Channels, r.DataRoot));
            }

            using var featureNetwork = FeatureNetworks.Open(r.Network, paths, r.DataRoot, r.InceptionWeights, log);
            var metricNames = r.Metrics ?? (featureNetwork.ClassCount > 0 ? ["fid", "kid", "is", "pr"] : ["fid", "kid", "pr"]);
            var cache = new FeatureCache(paths.Features);

            var realSample = ImageSample.FromSource(realSource, r.Count, r.Seed, progress: Stage("reading the real images"));
            log($"real: {realSample.Description}");
            var realFeatures = cache.GetOrCompute(featureNetwork, realSample, Stage("features of the real images"));
            log($"  features {(cache.LastWasHit ? "from the cache" : "computed and cached")}");

            ImageSample fakeSample;
            FeatureBatch fakeFeatures;
            if (generator is not null)
            {
                fakeSample = ImageSample.FromGenerator(generator, r.Count, progress: Stage("generating"));
                log($"fake: {fakeSample.Description}");
                fakeFeatures = fakeSample.Features(featureNetwork, Stage("features of the generated images"));
            }
            else
            {
                bool same = fakeSource!.Fingerprint == realSource.Fingerprint;
                fakeSample = ImageSample.FromSource(fakeSource, r.Count, r.Seed, skip: same ? realSample.Count : 0, Stage("reading the second images"));
                log($"fake: {fakeSample.Description}");
                fakeFeatures = cache.GetOrCompute(featureNetwork, fakeSample, Stage("features of the second images"));
            }

            CopyDetector.Result? copyResult = null;
            if (r.Copies ?? isRun)
            {
                int remaining = realSource.IsUnlimited ? r.Count : realSource.Count - realSample.Count;
                ImageSample? heldOut = remaining > 0 ? ImageSample.FromSource(realSource, Math.Min(r.Count, remaining), r.Seed, skip: realSample.Count, Stage("reading the held-out real images")) : null;
                var heldOutFeatures = heldOut is null ? null : cache.GetOrCompute(featureNetwork, heldOut, Stage("features of the held-out real images")).Features;
                copyResult = CopyDetector.Run(realSample, realFeatures.Features, heldOut, heldOutFeatures, fakeSample, fakeFeatures.Features, featureNetwork.Dimension,
                    Stage("searching for copies"));
            }

            var result = Evaluator.Run(featureNetwork, realSample, realFeatures, fakeSample, fakeFeatures, new EvaluationOptions(metricNames, r.Seed), copyResult);
            var reportDir = r.ReportDirectory ?? (runPath is not null
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
            string? html = null, png = null;
            if (copyResult is not null) (png, html) = CopyReport.Write(reportDir, copyResult, realSample, fakeSample, 0, result.Protocol.Line);
            if (runPath is not null)
            {
                using var runLog = MetricsLog.Open(new RunFolder(runPath).MetricsFile);
                runLog.Write(TrainingEvents.CheckpointEvaluation(generator!.Manifest.Step, EvaluationSource.Evaluate, result, Path.GetFileName(generator.Checkpoint)));
            }
            return new EvaluationReport(result, jsonPath, html, png, generator?.Checkpoint);
        }
        finally
        {
            generator?.Dispose();
        }
    }
}

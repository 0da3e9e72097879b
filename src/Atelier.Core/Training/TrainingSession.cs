using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using TorchSharp;

namespace Atelier.Training;

/// <summary>
/// The state of a run in progress, shared by the loop and its callbacks: the networks, where the run stands (step,
/// learning-rate scale, rollbacks), its log, and the services that write checkpoints and sample grids.
/// </summary>
public sealed class TrainingSession
{
    /// <summary>The step whose averaged weights the batch-norm statistics were last computed for (-1: none).</summary>
    private long _calibratedStep = -1;

    internal TrainingSession(TrainingOptions options, IImageSource data, RunFolder run, GanNetworks networks, Augmentation augmentation, Action<string> log)
    {
        Options = options;
        Data = data;
        Run = run;
        Networks = networks;
        Augmentation = augmentation;
        Log = log;
    }

    public TrainingOptions Options { get; }

    public IImageSource Data { get; }

    public RunFolder Run { get; }

    public CheckpointStore Checkpoints => Run.Checkpoints;

    public GanNetworks Networks { get; }

    public Augmentation Augmentation { get; }

    public Action<string> Log { get; }

    /// <summary>Open once the loop starts; null before.</summary>
    public MetricsLog Metrics { get; internal set; } = null!;

    /// <summary>Steps done.</summary>
    public long Step { get; internal set; }

    /// <summary>Each rollback halves the learning rate.</summary>
    public double LearningRateScale { get; private set; } = 1.0;

    public int Rollbacks { get; private set; }

    /// <summary>Consecutive steps in which the discriminator won outright.</summary>
    public int WinStreak { get; set; }

    public double ImagesPerSecond { get; internal set; }

    public TimeSpan Elapsed => Clock.Elapsed;

    internal System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Garbage collection is held off during tensor work; callbacks that allocate much close the window first.</summary>
    internal GcWindow GcWindow { get; } = new();

    public string? LastCheckpoint { get; private set; }

    public string? LastSample { get; internal set; }

    /// <summary>Set by a callback to end the loop after this step.</summary>
    public (TrainingOutcome Outcome, string Message)? StopRequest { get; private set; }

    /// <summary>The step, FID and feature network of the evaluation made at this step, if one was (for logs beside metrics.jsonl).</summary>
    public (long Step, double Fid, string Network)? StepEvaluation { get; internal set; }

    /// <summary>Set when the networks were restored to an earlier step: the loop restarts its data there.</summary>
    internal bool Rewound { get; set; }

    public void Stop(TrainingOutcome outcome, string message) => StopRequest = (outcome, message);

    /// <summary>Restores the networks, ADA's probability and the counters of a checkpoint (resume or rollback).</summary>
    public CheckpointManifest Restore(string checkpoint)
    {
        var manifest = CheckpointStore.ReadManifest(checkpoint);
        Networks.LoadState(checkpoint);
        _calibratedStep = -1;
        Augmentation.Restore(manifest.AugmentProbability);
        Step = manifest.Step;
        return manifest;
    }

    internal void RestoreCounters(CheckpointManifest manifest)
    {
        (LearningRateScale, Rollbacks, WinStreak) = (manifest.LearningRateScale, manifest.Rollbacks, manifest.DiscriminatorWinStreak);
        Networks.SetLearningRateScale(LearningRateScale);
    }

    /// <summary>A rollback (counted first with <see cref="CountRollback"/>): back to the last healthy checkpoint at half the learning rate.</summary>
    public CheckpointManifest RollBack()
    {
        var target = Checkpoints.LatestHealthy() ?? Checkpoints.Latest()!;
        var manifest = Restore(target);
        Checkpoints.DeleteAfter(manifest.Step); // the unhealthy ones after it would be replayed
        LearningRateScale *= 0.5;
        Networks.SetLearningRateScale(LearningRateScale);
        WinStreak = 0;
        Rewound = true;
        return manifest;
    }

    /// <summary>Counts a divergence; returns the rollbacks so far, this one included.</summary>
    public int CountRollback() => ++Rollbacks;

    /// <summary>True when the latest checkpoint is of the current step.</summary>
    public bool HasCheckpointAtStep => Checkpoints.Latest() is { } l && l.EndsWith($"step-{Step:D6}", StringComparison.Ordinal);

    /// <summary>
    /// Recomputes the averaged generator's batch-norm statistics, once per step: samples, a checkpoint and an
    /// evaluation at the same step share one calibration (it is a pure function of the weights, so the result is
    /// the same). Anything that changes the weights without a new step (a rollback, a resume) resets it.
    /// </summary>
    public void Calibrate()
    {
        // An autoencoder's decoder keeps the running statistics of the codes it was trained on (copied with its
        // weights each step): those are what reconstructions need, and they are part of the exact-resume state.
        if (_calibratedStep == Step || Options.Model.Family is Models.Autoencoders.IAutoencoderFamily) return;
        BatchNormCalibration.Calibrate(Networks.Average, Options.Model.LatentSize, Networks.Device);
        _calibratedStep = Step;
    }

    public string SaveCheckpoint()
    {
        using (GcPause.Begin())
        {
            Calibrate();
        }
        var state = Networks.StateFiles();
        bool healthy = WinStreak == 0 && AllFinite(state);
        var path = Checkpoints.Write(Step, state, files => new CheckpointManifest
        {
            Healthy = healthy,
            Step = Step,
            Seed = Options.Seed,
            Family = Options.Model.Architecture,
            Model = Options.Model,
            FrozenWeights = Networks.FrozenWeights(),
            Training = Options,
            DatasetName = Data.Name,
            DatasetFingerprint = Data.Fingerprint,
            Versions = new Dictionary<string, string>
            {
                ["atelier"] = TorchRuntime.AtelierVersion,
                ["torchSharp"] = TorchRuntime.TorchSharpVersion,
                ["libtorch"] = TorchRuntime.LibTorchVersion,
            },
            LearningRateScale = LearningRateScale,
            Rollbacks = Rollbacks,
            DiscriminatorWinStreak = WinStreak,
            Threads = torch.get_num_threads(),
            AugmentProbability = Augmentation.Probability,
            Files = files,
            CreatedUtc = DateTimeOffset.UtcNow,
        });
        Checkpoints.Prune(Options.Schedule.KeepCheckpoints, keepLatestHealthy: true);
        LastCheckpoint = path;
        return path;
    }

    private static bool AllFinite(Dictionary<string, IReadOnlyDictionary<string, TorchSharp.torch.Tensor>> state)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return state.Values.All(part => part.Values.All(t => !t.is_floating_point() || t.isfinite().all().item<bool>()));
    }

    /// <summary>
    /// The grid of seeds 0..SampleCount-1. With the checkpoint of the same step it is rendered from that checkpoint with
    /// its full recipe, so `atelier reproduce` regenerates it byte for byte; without one it names the recipe and the
    /// step's checkpoint, which reproduce then reports missing.
    /// </summary>
    public string WriteSamples(string? checkpoint)
    {
        var seeds = Enumerable.Range(0, Options.Schedule.SampleCount).Select(i => (long)i).ToList();
        var recipe = new GenerationRecipe(GenerationKind.Grid, $"0-{seeds.Count - 1}");
        var path = Run.SamplePath(Step);
        LastSample = path;
        if (checkpoint is not null)
        {
            using var generator = TrainedGenerator.Load(checkpoint);
            AtomicFile.WriteAllBytes(path, recipe.Render(generator));
            return path;
        }
        float[] pixels;
        using (GcPause.Begin())
        {
            Calibrate();
            pixels = ImageSynthesis.Generate(Networks.Average, seeds, Options.Model.LatentSize, Networks.Device);
        }
        var m = Options.Model;
        using var grid = ImageGrid.Compose(pixels, seeds.Count, m.Channels, m.Resolution, m.Resolution, new ImageGridOptions(Scale: m.Resolution < 48 ? 2 : 1));
        ImageCodec.SavePng(grid, path, new Dictionary<string, string>
        {
            ["Software"] = "Atelier " + TorchRuntime.AtelierVersion,
            ["Atelier.run"] = System.IO.Path.GetFileName(Run.Path),
            ["Atelier.step"] = Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Atelier.seeds"] = $"0-{seeds.Count - 1}",
            ["Comment"] = "AI-generated by Atelier",
            ["Atelier.checkpoint"] = System.IO.Path.GetFileName(Checkpoints.PathFor(Step)),
            [GenerationRecipe.TextKey] = recipe.ToJson(),
        }, DigitalSource.TrainedAlgorithmicMedia);
        return path;
    }
}

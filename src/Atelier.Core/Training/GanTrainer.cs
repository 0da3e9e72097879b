using System.Diagnostics;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// The training loop. Every random choice is a function of (seed, step), so a run that is stopped and
/// resumed from a checkpoint continues exactly as if it had never stopped.
/// </summary>
public sealed class GanTrainer
{
    private readonly TrainingOptions _options;
    private readonly IImageSource _data;
    private readonly RunFolder _run;
    private readonly Device _device;
    private readonly Action<string> _log;
    private readonly IReadOnlyList<string> _augmentOps;
    private double _augmentP;

    public GanTrainer(TrainingOptions options, IImageSource data, RunFolder run, Action<string>? log = null)
    {
        options.Validate();
        if (data.Resolution != options.Model.Resolution || data.Channels != options.Model.Channels)
            throw new ArgumentException($"--data: '{data.Name}' gives {data.Resolution}x{data.Resolution}x{data.Channels} images; the model needs {options.Model.Resolution}x{options.Model.Resolution}x{options.Model.Channels}.");
        _options = options;
        _data = data;
        _run = run;
        _device = TorchRuntime.ResolveDevice(options.Device);
        _log = log ?? (_ => { });
        _augmentOps = DiffAugment.ParseOperations(options.AugmentOps);
        int needed = Math.Max(options.Model.Classes, options.Model.ClassHead);
        if (needed > 0 && (data.Classes is null || data.Classes.Count != needed))
            throw new ArgumentException($"--data: '{data.Name}' has {(data.Classes is null ? "no labels" : $"{data.Classes.Count} classes")}; the model needs {needed} labelled classes (--conditional and --can need labels: an IDX dataset, or a folder with one subfolder per class).");
        _augmentP = options.Augment == "diffaugment" ? 1 : 0;
    }

    /// <summary>Called after each step with its status.</summary>
    public Action<TrainingStatus>? Progress { get; init; }

    /// <summary>Stops (and saves) once the process has used this much CPU time: equal budgets for comparisons.</summary>
    public TimeSpan? CpuTimeLimit { get; init; }

    /// <summary>Measures FID every Options.EvalEvery steps; required when EvalEvery &gt; 0.</summary>
    public ITrainingEvaluator? Evaluator { get; init; }

    /// <summary>Test hook: runs before each step with the networks and the step about to run.</summary>
    internal Action<GanNetworks, long>? BeforeStep { get; init; }

    /// <summary>Trains from the latest checkpoint (or from scratch) up to Options.Steps.</summary>
    public TrainingResult Run(CancellationToken cancel = default)
    {
        TorchRuntime.ConfigureThreads(_options.Threads);
        using var networks = new GanNetworks(_options, _device);
        var store = _run.Checkpoints;
        long step = 0;
        double lrScale = 1.0;
        int rollbacks = 0, winStreak = 0;
        var latest = store.Latest();
        if (latest is not null)
        {
            var manifest = CheckpointStore.ReadManifest(latest);
            if (manifest.DatasetFingerprint != _data.Fingerprint)
                throw new ArgumentException($"--resume: the run was trained on '{manifest.DatasetName}' ({manifest.DatasetFingerprint}), but the data now is '{_data.Name}' ({_data.Fingerprint}).");
            networks.LoadState(latest);
            _calibratedStep = -1;
            (step, lrScale, rollbacks, winStreak) = (manifest.Step, manifest.LearningRateScale, manifest.Rollbacks, manifest.DiscriminatorWinStreak);
            if (_options.Augment == "ada") _augmentP = manifest.AugmentProbability;
            store.DeleteAfter(step);
            _log($"resumed from {latest} at step {step}");
        }
        else
        {
            _run.SaveOptions(_options);
            SaveCheckpoint(networks, store, 0, lrScale, rollbacks, winStreak);
        }
        networks.SetLearningRateScale(lrScale);

        string? lastSample = null, lastCheckpoint = store.Latest();
        using var metrics = MetricsLog.Open(_run.MetricsFile, keepThroughStep: step);
        if (_options.EvalEvery > 0 && Evaluator is null) throw new InvalidOperationException("EvalEvery is set but no evaluator was given.");
        var (bestFid, sinceBest) = EvaluationHistory(step);
        bool probabilistic = Objectives.ObjectiveCatalog.IsProbabilistic(_options.Objective); // only then is σ(D) a probability
        var outcome = TrainingOutcome.Completed;
        var message = "";
        bool budgetSpent = false, earlyStopped = false;
        using (var loader = new BatchLoader(_data, _options.BatchSize, _options.Seed, _options.Flip, firstBatch: step * _options.DiscriminatorSteps))
        {
            var loaderRef = loader;
            var clock = Stopwatch.StartNew();
            var window = Stopwatch.StartNew();
            var flushClock = Stopwatch.StartNew();
            using var gcWindow = new GcWindow();
            long windowStart = step;
            double imagesPerSecond = 0;
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            while (step < _options.Steps)
            {
                if (cancel.IsCancellationRequested)
                {
                    outcome = TrainingOutcome.Interrupted;
                    message = $"interrupted at step {step}; continue with --resume {_run.Path}";
                    break;
                }
                if (CpuTimeLimit is { } limit && step % 10 == 0 && Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart >= limit)
                {
                    budgetSpent = true;
                    message = $"stopped at step {step}: the CPU-time budget of {limit.TotalMinutes:F1} minutes is spent";
                    break;
                }
                BeforeStep?.Invoke(networks, step);
                var batches = Enumerable.Range(0, _options.DiscriminatorSteps).Select(_ => loaderRef.Next()).ToArray();
                gcWindow.Ensure();
                var stats = TrainStep(networks, batches, step);
                foreach (var used in batches) loaderRef.Recycle(used); // their pixels were copied into tensors
                step++;
                if (window.Elapsed.TotalSeconds >= 1 || step == _options.Steps)
                {
                    imagesPerSecond = (step - windowStart) * _options.BatchSize * _options.DiscriminatorSteps / window.Elapsed.TotalSeconds;
                    window.Restart();
                    windowStart = step;
                }
                bool finite = double.IsFinite(stats.LossD) && double.IsFinite(stats.LossG);
                winStreak = probabilistic && stats.RealScore > 0.99 && stats.FakeScore < 0.01 ? winStreak + 1 : 0;
                metrics.Write(new Dictionary<string, object?>
                {
                    ["step"] = step,
                    ["lossD"] = stats.LossD,
                    ["lossG"] = stats.LossG,
                    ["dReal"] = stats.RealScore,
                    ["dFake"] = stats.FakeScore,
                    ["imgPerSec"] = Math.Round(imagesPerSecond, 1),
                    ["wallSec"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    ["lr"] = _options.LearningRate * lrScale,
                    ["augmentP"] = _options.Augment == "none" ? null : Math.Round(_augmentP, 6),
                });
                if (!finite || winStreak >= _options.DivergenceWindow)
                {
                    var reason = !finite
                        ? $"non-finite loss (D {stats.LossD}, G {stats.LossG})"
                        : $"the discriminator won outright for {winStreak} steps (D(x) > 0.99, D(G(z)) < 0.01)";
                    rollbacks++;
                    if (rollbacks > _options.MaxRollbacks)
                    {
                        metrics.Write(new Dictionary<string, object?> { ["event"] = "stopped", ["step"] = step, ["reason"] = reason });
                        outcome = TrainingOutcome.Diverged;
                        message = $"training diverged at step {step}: {reason}; stopped after {_options.MaxRollbacks} rollbacks. " +
                                  $"The last good checkpoint is {store.Latest()}. Try a lower --lr or another objective.";
                        break;
                    }
                    var good = store.Latest()!;
                    var goodManifest = CheckpointStore.ReadManifest(good);
                    networks.LoadState(good);
                    _calibratedStep = -1;
                    if (_options.Augment == "ada") _augmentP = goodManifest.AugmentProbability;
                    lrScale *= 0.5;
                    networks.SetLearningRateScale(lrScale);
                    winStreak = 0;
                    metrics.Write(new Dictionary<string, object?>
                    {
                        ["event"] = "rollback", ["step"] = step, ["to"] = goodManifest.Step, ["reason"] = reason, ["lrScale"] = lrScale, ["rollbacks"] = rollbacks,
                    });
                    _log($"step {step}: {reason}; rolled back to step {goodManifest.Step}, learning rate x{lrScale} (rollback {rollbacks} of {_options.MaxRollbacks})");
                    step = goodManifest.Step;
                    loaderRef.Dispose();
                    loaderRef = new BatchLoader(_data, _options.BatchSize, _options.Seed, _options.Flip, firstBatch: step * _options.DiscriminatorSteps);
                    continue;
                }
                if (flushClock.Elapsed.TotalSeconds >= 2)
                {
                    metrics.Flush(durable: false); // readers (tail -f, the studio) see progress within seconds
                    flushClock.Restart();
                }
                Progress?.Invoke(new TrainingStatus(step, _options.Steps, stats.LossD, stats.LossG, stats.RealScore, stats.FakeScore, imagesPerSecond, clock.Elapsed));
                bool sample = _options.SampleEvery > 0 && step % _options.SampleEvery == 0;
                bool checkpoint = _options.CheckpointEvery > 0 && step % _options.CheckpointEvery == 0 && step != _options.Steps;
                if (sample || checkpoint) gcWindow.Close(); // their large buffers are collected outside the window
                if (checkpoint)
                {
                    metrics.Flush();
                    lastCheckpoint = SaveCheckpoint(networks, store, step, lrScale, rollbacks, winStreak);
                }
                if (sample) lastSample = WriteSamples(networks, step, checkpoint ? lastCheckpoint : null);
                if (_options.EvalEvery > 0 && step % _options.EvalEvery == 0)
                {
                    gcWindow.Close();
                    var evaluation = Evaluate(networks, step);
                    bool improved = evaluation.Fid < bestFid;
                    if (improved)
                    {
                        bestFid = evaluation.Fid;
                        sinceBest = 0;
                        if (store.Latest() is not { } l2 || !l2.EndsWith($"step-{step:D6}", StringComparison.Ordinal))
                        {
                            metrics.Flush();
                            lastCheckpoint = SaveCheckpoint(networks, store, step, lrScale, rollbacks, winStreak);
                        }
                        store.MarkBest(store.Latest()!);
                    }
                    else
                    {
                        sinceBest++;
                    }
                    metrics.Write(new Dictionary<string, object?>
                    {
                        ["event"] = "evaluation", ["step"] = step, ["fid"] = evaluation.Fid, ["best"] = improved,
                        ["network"] = Evaluator!.Network, ["protocol"] = evaluation.Protocol, ["seconds"] = Math.Round(evaluation.Seconds, 1),
                    });
                    metrics.Flush();
                    _log($"step {step}: FID {evaluation.Fid:F2}{(improved ? " (best so far)" : $" (best {bestFid:F2}; {sinceBest} without improvement)")}");
                    if (_options.EarlyStop > 0 && sinceBest >= _options.EarlyStop)
                    {
                        metrics.Write(new Dictionary<string, object?> { ["event"] = "early-stop", ["step"] = step, ["bestFid"] = bestFid });
                        earlyStopped = true;
                        message = $"stopped early at step {step}: FID has not improved for {sinceBest} evaluations (best {bestFid:F2}, checkpoint 'best')";
                        break;
                    }
                }
            }
            if (!ReferenceEquals(loaderRef, loader)) loaderRef.Dispose();
        }
        if (outcome != TrainingOutcome.Diverged)
        {
            metrics.Flush();
            if (store.Latest() is not { } l || !l.EndsWith($"step-{step:D6}", StringComparison.Ordinal))
                lastCheckpoint = SaveCheckpoint(networks, store, step, lrScale, rollbacks, winStreak);
            lastSample = WriteSamples(networks, step, store.Latest()); // the last grid reproduces from the last checkpoint
            if (outcome == TrainingOutcome.Completed && !budgetSpent && !earlyStopped) message = $"trained {step} steps";
        }
        metrics.Flush();
        string? plot = null;
        if (step > 0)
        {
            plot = Path.Combine(_run.PlotsDirectory, "losses.png");
            LossPlot.Write(_run.MetricsFile, plot);
        }
        return new TrainingResult(outcome, step, lastCheckpoint, lastSample, plot, message);
    }

    /// <summary>Best FID so far and evaluations since it, from the metrics of steps up to <paramref name="step"/> (resume).</summary>
    private (double Best, int SinceBest) EvaluationHistory(long step)
    {
        double best = double.PositiveInfinity;
        int since = 0;
        if (_options.EvalEvery == 0) return (best, since);
        foreach (var row in MetricsLog.Read(_run.MetricsFile))
        {
            if ((string?)row["event"] != "evaluation" || row["step"] is null || (long)row["step"]! > step || row["fid"] is null) continue;
            double fid = (double)row["fid"]!;
            if (fid < best)
            {
                best = fid;
                since = 0;
            }
            else
            {
                since++;
            }
        }
        return (best, since);
    }

    private TrainingEvaluation Evaluate(GanNetworks n, long step)
    {
        var clock = Stopwatch.StartNew();
        var m = _options.Model;
        float[] pixels;
        using (GcPause.Begin())
        {
            Calibrate(n, step);
            var seeds = Enumerable.Range(0, _options.EvalSamples).Select(i => (long)i).ToList();
            pixels = ImageSynthesis.Generate(n.Average, seeds, m.LatentSize, _device);
        }
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) bytes[i] = ImageCodec.ToByte(pixels[i]);
        var (fid, protocol) = Evaluator!.Fid(bytes, _options.EvalSamples, m.Channels, m.Resolution, $"{Path.GetFileName(_run.Path)} step {step} EMA generator (seeds 0..{_options.EvalSamples - 1})");
        return new TrainingEvaluation(fid, protocol, clock.Elapsed.TotalSeconds);
    }

    private readonly record struct TrainingEvaluation(double Fid, string Protocol, double Seconds);

    private readonly record struct StepStats(double LossD, double LossG, double RealScore, double FakeScore);

    /// <summary>One generator step preceded by DiscriminatorSteps discriminator steps.</summary>
    private StepStats TrainStep(GanNetworks n, Batch[] batches, long step)
    {
        using var scope = NewDisposeScope();
        var o = _options;
        int k = o.DiscriminatorSteps, batch = o.BatchSize, latent = o.Model.LatentSize;
        n.Generator.train();
        n.Discriminator.train();
        Tensor lossD = null!, realLogits = null!, fakeLogits = null!, fake = null!, real = null!;
        for (int i = 0; i < k; i++)
        {
            real = ToTensor(batches[i]);
            var z = Conditioned(n, Latents.ForStep(o.Seed, step * (k + 1) + i, batch, latent, _device), batches[i]);
            if (k == 1)
            {
                fake = Letterboxed(n.Generator.forward(z), real, batches[i]); // [B, C, R, R]; reused by the generator step, as in Radford 2015's code
            }
            else
            {
                using var noGrad = no_grad();
                fake = Letterboxed(n.Generator.forward(z), real, batches[i]);
            }
            // Discriminator: minimise the objective's D loss on real vs (detached) generated images.
            n.DiscriminatorOptimizer.ZeroGrad();
            var detached = fake.detach();
            long counter = (step * (k + 1) + i) * 4;
            var realSeen = Augment(real, counter);
            Tensor realFeatures;
            (realLogits, realFeatures) = n.Discriminator is Models.IFeatureDiscriminator fd ? fd.ForwardWithFeatures(realSeen) : (n.Discriminator.forward(realSeen), null!);
            fakeLogits = n.Discriminator.forward(Augment(detached, counter + 1));
            lossD = n.Objective.DiscriminatorLoss(realLogits, fakeLogits);
            if (o.StyleAmbiguity > 0) // CAN: D also learns the style (class) of real images
                lossD = lossD + nn.functional.cross_entropy(((Models.LabelledDiscriminator)n.Discriminator).ClassLogits(realFeatures), LabelTensor(batches[i]));
            long dStep = step * k + i;
            if (o.R1Gamma > 0 && dStep % o.R1Every == 0)
                lossD = lossD + o.R1Gamma / 2 * o.R1Every * R1Penalty.Compute(n.Discriminator.forward, realSeen);
            if (o.GradientPenalty > 0)
                lossD = lossD + o.GradientPenalty * GradientPenalty.Compute(n.Discriminator.forward, real, detached, Epsilon(step * k + i, batch));
            if (n.DiscriminatorHistory is { } dHistory)
                lossD = lossD + o.HistoricalAveraging * dHistory.Penalty();
            lossD.backward();
            n.DiscriminatorOptimizer.StepUpdate();
            if (o.WeightClip > 0) n.ClipDiscriminator(o.WeightClip);
            n.DiscriminatorHistory?.Update();
        }
        if (k > 1) fake = Letterboxed(n.Generator.forward(Conditioned(n, Latents.ForStep(o.Seed, step * (k + 1) + k, batch, latent, _device), batches[k - 1])), real, batches[k - 1]);
        // Generator: minimise the objective's G loss through the discriminator. D's weights are frozen for this
        // backward pass: G needs only the gradient with respect to D's input, and skipping D's weight gradients
        // saves about a ninth of the step's work without changing any update.
        n.GeneratorOptimizer.ZeroGrad();
        n.SetDiscriminatorTrainable(false);
        long gCounter = (step * (k + 1) + k) * 4 + 3;
        Tensor lossG;
        if (o.FeatureMatching)
        {
            lossG = FeatureMatchingLoss(n, Augment(real, gCounter - 1), Augment(fake, gCounter));
        }
        else if (o.StyleAmbiguity > 0)
        {
            // CAN: fool D and, with weight λ, fit no known style better than another.
            var labelled = (Models.LabelledDiscriminator)n.Discriminator;
            var (logits, features) = labelled.ForwardWithFeatures(Augment(fake, gCounter));
            lossG = n.Objective.GeneratorLoss(logits) + o.StyleAmbiguity * StyleAmbiguity.Compute(labelled.ClassLogits(features));
        }
        else
        {
            lossG = n.Objective.GeneratorLoss(n.Discriminator.forward(Augment(fake, gCounter)));
        }
        if (n.GeneratorHistory is { } gHistory)
            lossG = lossG + o.HistoricalAveraging * gHistory.Penalty();
        lossG.backward();
        n.SetDiscriminatorTrainable(true);
        n.GeneratorOptimizer.StepUpdate();
        n.GeneratorHistory?.Update();
        n.Ema.Update(batch, (step + 1) * batch * k);
        using var noGrad2 = no_grad();
        if (o.Augment == "ada") // r_t = E[sign(D(real))] of this step's real images
            _augmentP = AdaptiveAugment.Update(_augmentP, realLogits.sign().mean().item<float>(), o.AdaTarget, batch * k, o.AdaSpeedImages);
        return new StepStats(
            lossD.item<float>(),
            lossG.item<float>(),
            sigmoid(realLogits).mean().item<float>(),
            sigmoid(fakeLogits).mean().item<float>());
    }

    /// <summary>
    /// For a conditional model: the batch's labels appended to the latents (fakes get the real batch's classes) and
    /// handed to the projection discriminator for the passes that follow. Otherwise the latents unchanged.
    /// </summary>
    private Tensor Conditioned(GanNetworks n, Tensor latents, Batch batch)
    {
        if (_options.Model.Classes == 0) return latents;
        ((Models.LabelledDiscriminator)n.Discriminator).Labels = LabelTensor(batch);
        return Latents.WithLabels(latents, batch.Labels.Take(batch.Size).Select(l => (long)l).ToList());
    }

    /// <summary>Letterboxed data: the generated images take the padding of their real partners (see <see cref="LetterboxMask"/>).</summary>
    private Tensor Letterboxed(Tensor fake, Tensor real, Batch batch)
    {
        if (batch.Mask is null) return fake;
        var mask = tensor(batch.Mask, new long[] { batch.Size, 1, batch.Resolution, batch.Resolution });
        return LetterboxMask.Composite(fake, real, _device.type == DeviceType.CPU ? mask : mask.to(_device));
    }

    private Tensor LabelTensor(Batch batch)
    {
        var labels = tensor(batch.Labels.Take(batch.Size).Select(l => (long)l).ToArray());
        return _device.type == DeviceType.CPU ? labels : labels.to(_device);
    }

    /// <summary>DiffAugment with the current probability, or the images unchanged.</summary>
    private Tensor Augment(Tensor images, long counter) =>
        _options.Augment == "none" ? images : DiffAugment.Apply(images, _augmentOps, _augmentP, _options.Seed, counter);

    /// <summary>Salimans 2016 §3.1: ‖E f(x) − E f(G(z))‖², f = D's last hidden layer; the real side is a constant.</summary>
    private static Tensor FeatureMatchingLoss(GanNetworks n, Tensor real, Tensor fake)
    {
        var d = (Models.IFeatureDiscriminator)n.Discriminator;
        Tensor realFeatures;
        using (no_grad())
        {
            realFeatures = d.ForwardWithFeatures(real).Features.mean([0]);
        }
        var fakeFeatures = d.ForwardWithFeatures(fake).Features.mean([0]);
        return (realFeatures - fakeFeatures).square().sum();
    }

    /// <summary>[B] interpolation weights of the gradient penalty: a pure function of (seed, critic step).</summary>
    private Tensor Epsilon(long counter, int batch)
    {
        using var generator = new Generator(SplitMix64.For(_options.Seed, "penalty", counter).NextUInt64() >> 1);
        var e = rand(new long[] { batch }, generator: generator);
        return _device.type == DeviceType.CPU ? e : e.to(_device);
    }

    private Tensor ToTensor(Batch batch)
    {
        var t = tensor(batch.Pixels, new long[] { batch.Size, batch.Channels, batch.Resolution, batch.Resolution });
        return _device.type == DeviceType.CPU ? t : t.to(_device);
    }

    /// <summary>The step whose averaged weights the batch-norm statistics were last computed for (-1: none).</summary>
    private long _calibratedStep = -1;

    /// <summary>
    /// Recomputes the averaged generator's batch-norm statistics, once per step: samples, a checkpoint and an
    /// evaluation at the same step share one calibration (it is a pure function of the weights, so the result is
    /// the same). Anything that changes the weights without a new step (a rollback, a resume) resets it.
    /// </summary>
    private void Calibrate(GanNetworks n, long step)
    {
        if (_calibratedStep == step) return;
        BatchNormCalibration.Calibrate(n.Average, _options.Model.LatentSize, _device);
        _calibratedStep = step;
    }

    /// <summary>
    /// The grid of seeds 0..SampleCount-1. With the checkpoint of the same step it is rendered from that checkpoint with
    /// its full recipe, so `atelier reproduce` regenerates it byte for byte; without one it names the recipe and the
    /// step's checkpoint, which reproduce then reports missing.
    /// </summary>
    private string WriteSamples(GanNetworks n, long step, string? checkpoint)
    {
        var seeds = Enumerable.Range(0, _options.SampleCount).Select(i => (long)i).ToList();
        var recipe = new GenerationRecipe("grid", $"0-{seeds.Count - 1}");
        if (checkpoint is not null)
        {
            using var generator = TrainedGenerator.Load(checkpoint);
            AtomicFile.WriteAllBytes(_run.SamplePath(step), recipe.Render(generator));
            return _run.SamplePath(step);
        }
        float[] pixels;
        using (GcPause.Begin())
        {
            Calibrate(n, step);
            pixels = ImageSynthesis.Generate(n.Average, seeds, _options.Model.LatentSize, _device);
        }
        var path = _run.SamplePath(step);
        var m = _options.Model;
        using var grid = ImageGrid.Compose(pixels, seeds.Count, m.Channels, m.Resolution, m.Resolution, new ImageGridOptions(Scale: m.Resolution < 48 ? 2 : 1));
        ImageCodec.SavePng(grid, path, new Dictionary<string, string>
        {
            ["Software"] = "Atelier " + TorchRuntime.AtelierVersion,
            ["Atelier.run"] = Path.GetFileName(_run.Path),
            ["Atelier.step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Atelier.seeds"] = $"0-{seeds.Count - 1}",
            ["Comment"] = "AI-generated by Atelier",
            ["Atelier.checkpoint"] = Path.GetFileName(_run.Checkpoints.PathFor(step)),
            [GenerationRecipe.TextKey] = recipe.ToJson(),
        });
        return path;
    }

    private string SaveCheckpoint(GanNetworks n, CheckpointStore store, long step, double lrScale, int rollbacks, int winStreak)
    {
        using (GcPause.Begin())
        {
            Calibrate(n, step);
        }
        var path = store.Write(step, n.StateFiles(), files => new CheckpointManifest
        {
            Step = step,
            Seed = _options.Seed,
            Model = _options.Model,
            Training = _options,
            DatasetName = _data.Name,
            DatasetFingerprint = _data.Fingerprint,
            Versions = new Dictionary<string, string>
            {
                ["atelier"] = TorchRuntime.AtelierVersion,
                ["torchSharp"] = TorchRuntime.TorchSharpVersion,
                ["libtorch"] = TorchRuntime.LibTorchVersion,
            },
            LearningRateScale = lrScale,
            Rollbacks = rollbacks,
            DiscriminatorWinStreak = winStreak,
            Threads = torch.get_num_threads(),
            AugmentProbability = _augmentP,
            Files = files,
            CreatedUtc = DateTimeOffset.UtcNow,
        });
        store.Prune(_options.KeepCheckpoints);
        return path;
    }
}

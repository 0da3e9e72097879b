using System.Diagnostics;
using Atelier.Data;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training.Callbacks;
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

    /// <summary>
    /// A trainer for <paramref name="run"/>: new (options saved and a step-0 checkpoint written by <see cref="Run"/>) or
    /// resumed from its latest checkpoint. Throws <see cref="OptionException"/> naming the flag when the options or the
    /// data do not fit.
    /// </summary>
    /// <param name="data">Images at the model's resolution and channels (<see cref="Data.DatasetResolver"/>).</param>
    /// <param name="log">Told of checkpoints, rollbacks and other events.</param>
    public GanTrainer(TrainingOptions options, IImageSource data, RunFolder run, Action<string>? log = null)
    {
        options.Validate();
        if (data.Resolution != options.Model.Resolution || data.Channels != options.Model.Channels)
            throw new OptionException($"--data: '{data.Name}' gives {data.Resolution}x{data.Resolution}x{data.Channels} images; the model needs {options.Model.Resolution}x{options.Model.Resolution}x{options.Model.Channels}.");
        _options = options;
        _data = data;
        _run = run;
        _device = TorchRuntime.ResolveDevice(options.Device);
        _log = log ?? (_ => { });
        int needed = Math.Max(options.Model.Classes, options.Model.ClassHead);
        if (needed > 0 && (data.Classes is null || data.Classes.Count != needed))
            throw new OptionException($"--data: '{data.Name}' has {(data.Classes is null ? "no labels" : $"{data.Classes.Count} classes")}; the model needs {needed} labelled classes (--conditional and --can need labels: an IDX dataset, or a folder with one subfolder per class).");
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
        if (_options.Evaluation.Every > 0 && Evaluator is null) throw new InvalidOperationException("EvalEvery is set but no evaluator was given.");
        using var networks = new GanNetworks(_options, _device);
        var session = new TrainingSession(_options, _data, _run, networks, new Augmentation(_options), _log);
        Start(session);
        ITrainingStep gan = _options.Model.Family is Models.Autoencoders.IAutoencoderFamily
            ? new AutoencoderStep(_options, networks)
            : new GanStep(_options, networks, session.Augmentation);
        var callbacks = Callbacks();
        using (session.Metrics = MetricsLog.Open(_run.MetricsFile, keepThroughStep: session.Step))
        {
            foreach (var callback in callbacks) callback.OnStart(session);
            Loop(session, gan, callbacks, cancel);
            return Finish(session);
        }
    }

    /// <summary>The loop: one step, then the callbacks, until the last step or a stop.</summary>
    private void Loop(TrainingSession session, ITrainingStep gan, IReadOnlyList<ITrainingCallback> callbacks, CancellationToken cancel)
    {
        var loader = Loader(session.Step);
        try
        {
            var clock = Stopwatch.StartNew();
            var rate = new StepRate(TimeSpan.FromSeconds(10));
            rate.Add(clock.Elapsed, session.Step);
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            while (session.Step < _options.Schedule.Steps && session.StopRequest is null)
            {
                if (cancel.IsCancellationRequested)
                {
                    session.Stop(TrainingOutcome.Interrupted, $"interrupted at step {session.Step}; continue with --resume {_run.Path}");
                    break;
                }
                if (CpuTimeLimit is { } limit && session.Step % 10 == 0 && Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart >= limit)
                {
                    session.Stop(TrainingOutcome.Completed, $"stopped at step {session.Step}: the CPU-time budget of {limit.TotalMinutes:F1} minutes is spent");
                    break;
                }
                BeforeStep?.Invoke(session.Networks, session.Step);
                var batches = Enumerable.Range(0, _options.Game.DiscriminatorSteps).Select(_ => loader.Next()).ToArray();
                session.GcWindow.Ensure();
                var stats = gan.Run(batches, session.Step);
                foreach (var used in batches) loader.Recycle(used); // their pixels were copied into tensors
                session.Step++;
                rate.Add(clock.Elapsed, session.Step);
                session.ImagesPerSecond = rate.StepsPerSecond * _options.Optimization.BatchSize * _options.Game.DiscriminatorSteps ?? 0; // over the last 10 s
                foreach (var callback in callbacks)
                {
                    callback.OnStepEnd(session, stats);
                    if (session.StopRequest is not null || session.Rewound) break;
                }
                if (session.Rewound)
                {
                    session.Rewound = false;
                    loader.Dispose();
                    loader = Loader(session.Step);
                }
            }
        }
        finally
        {
            loader.Dispose();
            session.GcWindow.Close();
        }
    }

    /// <summary>Resumes from the latest checkpoint, or saves the options and a step-0 checkpoint for a new run.</summary>
    private void Start(TrainingSession session)
    {
        var latest = _run.Checkpoints.Latest();
        if (latest is null)
        {
            _run.SaveOptions(_options);
            if (_options.InitFrom is { } parent)
            {
                parent.LoadInto(session.Networks);
                _log($"started from {parent.Checkpoint} (step {parent.Step}; {(parent.Discriminator is null ? "discriminator fresh: the parent's does not fit" : "discriminator too")})");
            }
            session.SaveCheckpoint();
            return;
        }
        var manifest = CheckpointStore.ReadManifest(latest);
        if (manifest.DatasetFingerprint != _data.Fingerprint)
            throw new OptionException($"--resume: the run was trained on '{manifest.DatasetName}' ({manifest.DatasetFingerprint}), but the data now is '{_data.Name}' ({_data.Fingerprint}).");
        session.Restore(latest);
        session.RestoreCounters(manifest);
        _run.Checkpoints.DeleteAfter(session.Step);
        _log($"resumed from {latest} at step {session.Step}");
    }

    private List<ITrainingCallback> Callbacks()
    {
        var callbacks = new List<ITrainingCallback> { new MetricsRows(), new DivergenceGuard(), new ProgressReport(Progress), new Callbacks.Checkpoints(), new SampleGrids() };
        if (_options.Evaluation.Every > 0) callbacks.Add(new EvaluationSchedule(Evaluator!));
        if (_options.Schedule.TensorBoard) callbacks.Add(new TensorBoardEvents());
        return callbacks;
    }

    private BatchLoader Loader(long step) =>
        new(_data, _options.Optimization.BatchSize, _options.Seed, _options.Augmentation.Flip, firstBatch: step * _options.Game.DiscriminatorSteps);

    /// <summary>After the loop: the last checkpoint and grid (unless the run diverged), the loss plot, the result.</summary>
    private TrainingResult Finish(TrainingSession session)
    {
        var (outcome, message) = session.StopRequest ?? (TrainingOutcome.Completed, $"trained {session.Step} steps");
        // A run that ends inside a collapse, before the guard's window was full, is said to have collapsed.
        if (outcome == TrainingOutcome.Completed && session.WinStreak > 0 && 2 * session.WinStreak >= _options.Schedule.EffectiveDivergenceWindow)
            message += $"; but the discriminator has won outright for the last {session.WinStreak} steps ({session.Networks.Objective.WinCondition}): the run has collapsed. " +
                $"Its last healthy checkpoint is {session.Checkpoints.LatestHealthy() ?? "none"}; try a lower --lr.";
        if (outcome != TrainingOutcome.Diverged)
        {
            session.Metrics.Flush();
            if (!session.HasCheckpointAtStep) session.SaveCheckpoint();
            session.WriteSamples(session.Checkpoints.Latest()); // the last grid reproduces from the last checkpoint
        }
        session.Metrics.Flush();
        string? plot = null;
        if (session.Step > 0)
        {
            plot = Path.Combine(_run.PlotsDirectory, "losses.png");
            LossPlot.Write(_run.MetricsFile, plot);
        }
        return new TrainingResult(outcome, session.Step, session.LastCheckpoint ?? session.Checkpoints.Latest(), session.LastSample, plot, message);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Atelier.Data;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using Atelier.Training.Recipes;

namespace Atelier.Studio;

/// <summary>
/// Jobs started from the Studio: `atelier train` (a new run) or `atelier evaluate` (of an existing run) in a child
/// process per job, one at a time, the rest queued. Jobs belong to the server, not to a browser: closing the page
/// changes nothing. Cancel asks a trainer to stop (it saves a checkpoint first) by a line on its standard input, ends
/// an evaluation (which writes its results only when done, atomically), and simply drops a queued job.
/// </summary>
public sealed partial class TrainingJobs : IDisposable
{
    /// <summary>The choices of the form, all from Core.</summary>
    public static IReadOnlyList<string> Models => ModelOptions.Architectures;

    public static IReadOnlyList<string> Objectives => ObjectiveCatalog.Names;

    public static IReadOnlyList<string> Presets => TrainingPreset.All.Select(p => p.Name).ToList();

    public static IReadOnlyList<int> Resolutions => ModelOptions.DcganResolutions;

    public static IReadOnlyList<string> Discriminators => EnumText.Names<DiscriminatorKind>();
    public const long MaxSteps = 1_000_000;
    public const int MaxQueued = 32;

    private readonly StudioOptions _options;
    private readonly Lock _lock = new();
    private readonly List<Job> _jobs = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _worker;
    private int _nextId = 1;

    public TrainingJobs(StudioOptions options)
    {
        _options = options;
        _worker = Task.Run(WorkAsync);
    }

    public bool Enabled => _options.TrainLauncher is not null;

    /// <summary>Named datasets and the folders inside the datasets root that a job may train on.</summary>
    public IReadOnlyList<string> Datasets()
    {
        var names = DatasetResolver.KnownNames().ToList();
        if (_options.DatasetsRoot is string root && Directory.Exists(root))
            names.AddRange(Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(n => n is not null && IdxDataset.Find(n) is null && !n.StartsWith('.'))
                .Select(n => "folder:" + n).Order(StringComparer.Ordinal)!);
        return names;
    }

    /// <summary>Queues a training job; <paramref name="runs"/> resolves its InitFrom run, if any.</summary>
    public JobView Submit(JobRequest request, RunIndex? runs = null)
    {
        if (!Enabled) throw new StudioRequestException(409, "training from the Studio is off in this server.");
        return Enqueue(id => new Job(id, JobKind.Train, request, null, Arguments(request, runs)));
    }

    /// <summary>Queues an evaluation of the run <paramref name="name"/> (checked by <paramref name="runs"/>).</summary>
    public JobView SubmitEvaluation(RunIndex runs, string name, EvaluationJobRequest request)
    {
        if (!Enabled) throw new StudioRequestException(409, "jobs from the Studio are off in this server.");
        var run = runs.Open(name);
        if (!CheckpointChoice().IsMatch(request.Checkpoint ?? ""))
            throw StudioRequestException.BadRequest($"checkpoint: '{RunIndex.Clip(request.Checkpoint ?? "")}' is not latest, best or a step number.");
        if (run.Checkpoints.List().Count == 0) throw StudioRequestException.BadRequest($"run: '{RunIndex.Clip(name)}' has no checkpoint to evaluate yet.");
        var networks = EvaluationNetworks;
        if (!networks.Contains(request.Network ?? ""))
            throw StudioRequestException.BadRequest($"network: '{RunIndex.Clip(request.Network ?? "")}' is not one of {string.Join(", ", networks)}.");
        if (request.Samples is < EvaluationJobRequest.MinSamples or > EvaluationJobRequest.MaxSamples)
            throw StudioRequestException.BadRequest($"n: {request.Samples} is outside {EvaluationJobRequest.MinSamples}..{EvaluationJobRequest.MaxSamples}.");
        List<string> args = ["evaluate", "--fake", run.Path, "--checkpoint", request.Checkpoint!, "--network", request.Network!,
            "--n", request.Samples.ToString(CultureInfo.InvariantCulture)];
        return Enqueue(id => new Job(id, JobKind.Evaluate, null, request, args) { Run = name });
    }

    /// <summary>The feature networks an evaluation job may use: the built-in ones (no weights to supply, unlike
    /// inception-v3) and the domain classifiers of the IDX datasets (a job on one that is not installed fails with its
    /// install hint in the job's log).</summary>
    public static IReadOnlyList<string> EvaluationNetworks =>
        [.. Metrics.FeatureNetworks.BuiltIn, .. IdxDataset.All.Select(d => Metrics.DomainClassifier.Prefix + d.Name)];

    private JobView Enqueue(Func<int, Job> create)
    {
        lock (_lock)
        {
            if (_jobs.Count(j => j.State == JobState.Queued) >= MaxQueued)
                throw new StudioBusyException($"the job queue is full ({MaxQueued} waiting); cancel one or wait.");
            var job = create(_nextId++);
            _jobs.Add(job);
            _wake.Release();
            return job.View();
        }
    }

    public IReadOnlyList<JobView> List()
    {
        lock (_lock) return _jobs.Select(j => j.View()).Reverse().ToList();
    }

    public JobView Get(int id)
    {
        lock (_lock) return Find(id).View();
    }

    /// <summary>The runs that a running job is writing.</summary>
    public IReadOnlySet<string> ActiveRuns()
    {
        lock (_lock) return _jobs.Where(j => j.Kind == JobKind.Train && j.State == JobState.Running && j.Run is not null).Select(j => j.Run!).ToHashSet();
    }

    public JobView Cancel(int id)
    {
        lock (_lock)
        {
            var job = Find(id);
            switch (job.State)
            {
                case JobState.Queued:
                    job.State = JobState.Cancelled;
                    job.Finished = DateTimeOffset.UtcNow;
                    break;
                case JobState.Running when job.Kind is JobKind.Evaluate or JobKind.Project or JobKind.Style:
                    job.CancelRequested = true;
                    job.AddLog($"cancel requested: the {job.Noun} stops; it has written nothing yet");
                    try
                    {
                        job.Process?.Kill(entireProcessTree: true);
                    }
                    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        job.AddLog($"the {job.Noun} could not be stopped: " + e.Message);
                    }
                    break;
                case JobState.Running:
                    job.CancelRequested = true;
                    job.AddLog("cancel requested: the trainer saves a checkpoint and stops");
                    try
                    {
                        job.Process?.StandardInput.WriteLine("stop");
                        job.Process?.StandardInput.Flush();
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException)
                    {
                        job.AddLog("the trainer could not be told to stop: " + e.Message);
                    }
                    break;
            }
            return job.View();
        }
    }

    /// <summary>Checks a request and turns it into `atelier train` arguments (without --out).</summary>
    public List<string> Arguments(JobRequest request, RunIndex? runs = null)
    {
        var datasets = Datasets();
        if (string.IsNullOrEmpty(request.Dataset) || !datasets.Contains(request.Dataset))
            throw StudioRequestException.BadRequest($"dataset: '{RunIndex.Clip(request.Dataset ?? "")}' is not one of {string.Join(", ", datasets)}.");
        if (request.Model is null ? request.InitFrom is null : !Models.Contains(request.Model))
            throw StudioRequestException.BadRequest($"model: '{RunIndex.Clip(request.Model ?? "")}' is not one of {string.Join(", ", Models)}{(request.InitFrom is null ? "" : " (or none, to take the parent's)")}.");
        var discriminator = request.Discriminator is string d ? EnumText.Parse<DiscriminatorKind>(RunIndex.Clip(d), "discriminator", "discriminator") : (DiscriminatorKind?)null;
        string? parent = null;
        if (request.InitFrom is string from)
        {
            var run = (runs ?? throw StudioRequestException.BadRequest("initFrom: this server has no runs folder to start from.")).Open(from);
            if (run.Checkpoints.Latest() is null) throw StudioRequestException.BadRequest($"initFrom: run '{RunIndex.Clip(from)}' has no checkpoint to start from yet.");
            parent = run.Path;
        }
        var objective = request.Objective is string name ? EnumText.Parse<Objective>(RunIndex.Clip(name), "objective", "objective") : (Objective?)null;
        if (request.Preset is not null && !Presets.Contains(request.Preset)) throw StudioRequestException.BadRequest($"preset: '{RunIndex.Clip(request.Preset)}' is not one of {string.Join(", ", Presets)} (or none).");
        if (request.Steps is < 1 or > MaxSteps) throw StudioRequestException.BadRequest($"steps: {request.Steps} is outside 1..{MaxSteps}.");
        if (request.Resolution is int r && !Resolutions.Contains(r)) throw StudioRequestException.BadRequest($"resolution: {r} is not one of {string.Join(", ", Resolutions)}.");
        var data = DataOf(request);
        var args = new List<string> { "train", "--data", data, "--steps", request.Steps.ToString(CultureInfo.InvariantCulture), "--quiet", "--stop-on-stdin" };
        if (request.Model is string model) args.AddRange(["--model", model]);
        if (discriminator is DiscriminatorKind kind) args.AddRange(["--discriminator", EnumText.Name(kind)]);
        if (parent is not null) args.AddRange(["--init-from", parent]);
        // A preset sets the objective itself; only an explicit, non-default choice overrides it.
        if (request.Preset is string preset) args.AddRange(["--preset", preset]);
        if (objective is Objective chosen && (request.Preset is null || chosen != TrainingDefaults.Objective)) args.AddRange(["--objective", EnumText.Name(chosen)]);
        if (request.Resolution is int res) args.AddRange(["--resolution", res.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    private Job Find(int id) => _jobs.FirstOrDefault(j => j.Id == id) ?? throw StudioRequestException.NotFound($"job {id} does not exist.");

    private async Task WorkAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Job? job;
            lock (_lock) job = _jobs.FirstOrDefault(j => j.State == JobState.Queued);
            if (job is null) continue;
            await RunAsync(job).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Job job)
    {
        Process process;
        lock (_lock)
        {
            if (job.State != JobState.Queued) return;
            try
            {
                var args = job.Arguments;
                if (job.Request is JobRequest train)
                {
                    int from = args.IndexOf("--init-from");
                    var parent = from >= 0 ? args[from + 1] : null;
                    var model = train.Model ?? (parent is null ? TrainingDefaults.Model : InitialWeights.ReadParent(parent).Manifest.Model.Architecture);
                    var run = RunFolder.CreateNumbered(_options.RunsRoot, model, DatasetSlugSource(train.Dataset), ResolutionOf(train, parent));
                    // CreateNumbered makes the folder; the trainer writes into it (--out accepts an empty folder).
                    Directory.Delete(Path.Combine(run.Path, "samples"));
                    args = [.. args, "--out", run.Path];
                    job.Run = Path.GetFileName(run.Path);
                }
                var start = _options.TrainLauncher!(args);
                start.RedirectStandardInput = true;
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
                start.UseShellExecute = false;
                process = Process.Start(start) ?? throw new InvalidOperationException("the trainer did not start");
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException or OptionException)
            {
                job.State = JobState.Failed;
                job.Finished = DateTimeOffset.UtcNow;
                job.AddLog($"could not start the {job.Noun}: " + e.Message);
                return;
            }
            job.Process = process;
            job.State = JobState.Running;
            job.Started = DateTimeOffset.UtcNow;
        }
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) job.AddLog(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) job.AddLog(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(_shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The Studio is shutting down: leave the trainer running; it finishes the run on its own.
            return;
        }
        lock (_lock)
        {
            job.ExitCode = process.ExitCode;
            job.Finished = DateTimeOffset.UtcNow;
            job.State = job.CancelRequested ? JobState.Cancelled : process.ExitCode == 0 ? JobState.Completed : JobState.Failed;
            job.Process = null;
            process.Dispose();
        }
    }

    /// <summary>The image side the trainer will choose (the same defaults as `atelier train`), for the run's name.</summary>
    /// <summary>The resolution the job will train at, as the trainer's recipe decides it (for the run's name).</summary>
    internal int ResolutionOf(JobRequest r, string? parent = null) =>
        TrainingRecipe.ResolutionOf(new TrainingRequest { Data = DataOf(r), Model = r.Model, Preset = r.Preset, Resolution = r.Resolution, InitFrom = parent });

    /// <summary>The --data of a job: a named dataset, or a folder of the datasets root.</summary>
    private string DataOf(JobRequest r) =>
        r.Dataset.StartsWith("folder:", StringComparison.Ordinal) ? Path.Combine(_options.DatasetsRoot!, r.Dataset["folder:".Length..]) : r.Dataset;

    /// <summary>The dataset part of a new run's folder name.</summary>
    private static string DatasetSlugSource(string dataset) => dataset.StartsWith("folder:", StringComparison.Ordinal) ? dataset["folder:".Length..] : dataset;

    public void Dispose()
    {
        _shutdown.Cancel();
        bool finished;
        try
        {
            finished = _worker.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            finished = true;
        }
        // A worker still busy past the wait ends on the cancellation by itself; what it uses is not disposed under it.
        if (!finished) return;
        _wake.Dispose();
        _shutdown.Dispose();
    }

    private enum JobKind { Train, Evaluate, Project, Style }

    private sealed class Job(int id, JobKind kind, JobRequest? request, EvaluationJobRequest? evaluation, List<string> arguments)
    {
        private readonly Queue<string> _log = new();

        public int Id { get; } = id;

        public JobKind Kind { get; } = kind;

        public JobRequest? Request { get; } = request;

        public EvaluationJobRequest? Evaluation { get; } = evaluation;

        public List<string> Arguments { get; } = arguments;

        public JobState State { get; set; } = JobState.Queued;

        public string? Run { get; set; }

        public Process? Process { get; set; }

        public bool CancelRequested { get; set; }

        public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

        public DateTimeOffset? Started { get; set; }

        public DateTimeOffset? Finished { get; set; }

        public int? ExitCode { get; set; }

        public ProjectionJobRequest? Projection { get; init; }

        public StyleJobRequest? Style { get; init; }

        public string? Result { get; init; }

        /// <summary>What the job does, for its log lines.</summary>
        public string Noun => Kind switch { JobKind.Train => "training", JobKind.Evaluate => "evaluation", JobKind.Project => "projection", _ => "style transfer" };

        public void AddLog(string line)
        {
            _log.Enqueue(AnsiEscape().Replace(line, ""));
            while (_log.Count > 40) _log.Dequeue();
        }

        public JobView View() => new(Id, Kind switch { JobKind.Train => "train", JobKind.Evaluate => "evaluate", JobKind.Project => "project", _ => "style" }, Request, Evaluation, State, Run,
            Created, Started, Finished, ExitCode, _log.ToList(), Projection, Style, Result);
    }

    [GeneratedRegex(@"^(latest|best|[0-9]{1,12})$")]
    private static partial Regex CheckpointChoice();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}

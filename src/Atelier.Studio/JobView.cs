namespace Atelier.Studio;

/// <summary>A job as the jobs list shows it: a training (<paramref name="Request"/>), an evaluation of a run
/// (<paramref name="Evaluation"/>, with the run in <paramref name="Run"/>), a projection into one, or a style transfer.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Kind">"train", "evaluate", "project" or "style".</param>
/// <param name="Request">What a training job trains.</param>
/// <param name="Evaluation">What an evaluation job measures.</param>
/// <param name="State">Queued, running, completed, failed or cancelled.</param>
/// <param name="Run">The run it writes (training) or measures (evaluation).</param>
/// <param name="Created">When it was submitted.</param>
/// <param name="Started">When its process started.</param>
/// <param name="Finished">When it ended.</param>
/// <param name="ExitCode">Its process's exit code.</param>
/// <param name="Log">The last lines of its output.</param>
/// <param name="Projection">The options of a projection job.</param>
/// <param name="Style">The options of a style-transfer job.</param>
/// <param name="Result">Where a projection's or a style transfer's results are: the id of /api/runs/RUN/projections/ID/
/// or of /api/styles/ID.png.</param>
public sealed record JobView(int Id, string Kind, JobRequest? Request, EvaluationJobRequest? Evaluation, JobState State, string? Run, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished, int? ExitCode, IReadOnlyList<string> Log,
    ProjectionJobRequest? Projection = null, StyleJobRequest? Style = null, string? Result = null);

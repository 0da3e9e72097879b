namespace Atelier.Studio;

/// <summary>A training job as the jobs list shows it.</summary>
public sealed record JobView(int Id, JobRequest Request, JobState State, string? Run, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished, int? ExitCode, IReadOnlyList<string> Log);

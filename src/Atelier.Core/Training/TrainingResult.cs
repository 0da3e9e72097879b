namespace Atelier.Training;

/// <summary>How a run ended and where its outputs are.</summary>
public sealed record TrainingResult(TrainingOutcome Outcome, long Step, string? Checkpoint, string? LastSample, string? Plot, string Message);

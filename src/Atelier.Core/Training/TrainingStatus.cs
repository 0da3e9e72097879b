namespace Atelier.Training;

/// <summary>What the loop reports after each step.</summary>
public sealed record TrainingStatus(
    long Step,
    long TotalSteps,
    double DiscriminatorLoss,
    double GeneratorLoss,
    double RealScore,
    double FakeScore,
    double ImagesPerSecond,
    TimeSpan Elapsed);

public enum TrainingOutcome
{
    Completed,
    Interrupted,
    Diverged,
}

/// <summary>How a run ended and where its outputs are.</summary>
public sealed record TrainingResult(TrainingOutcome Outcome, long Step, string? Checkpoint, string? LastSample, string? Plot, string Message);

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


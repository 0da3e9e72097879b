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
    TimeSpan Elapsed)
{
    /// <summary>An autoencoder's mean squared error per pixel; null for a GAN.</summary>
    public double? Reconstruction { get; init; }

    /// <summary>A VAE's KL divergence per image; null for a GAN.</summary>
    public double? Kl { get; init; }
}


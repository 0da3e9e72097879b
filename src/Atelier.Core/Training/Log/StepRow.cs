namespace Atelier.Training.Log;

/// <summary>One step's row of metrics.jsonl.</summary>
/// <param name="RealScore">Mean σ(D(x)) of the step's last discriminator pass ("dReal").</param>
/// <param name="FakeScore">Mean σ(D(G(z))) ("dFake").</param>
/// <param name="AugmentProbability">DiffAugment/ADA's probability; null when augmentation is off.</param>
public sealed record StepRow(long Step, double LossD, double LossG, double RealScore, double FakeScore, double ImagesPerSecond, double WallSeconds,
    double LearningRate, double? AugmentProbability)
{
    /// <summary>An autoencoder's mean squared error per pixel ("reconstruction"); null for a GAN, whose row has the D and G fields instead.</summary>
    public double? Reconstruction { get; init; }

    /// <summary>A VAE's KL divergence per image ("kl"); null for a GAN.</summary>
    public double? Kl { get; init; }
}

namespace Atelier.Training;

/// <summary>
/// What one step reports: the last discriminator pass's loss and mean σ(logits), the generator's loss, and whether the
/// discriminator won that pass outright in its game's terms (<see cref="Objectives.IGanObjective.DiscriminatorWins"/>).
/// An autoencoder's step (<see cref="ForAutoencoder"/>) has no discriminator: its loss is in LossG, the D fields are NaN.
/// </summary>
public readonly record struct StepStats(double LossD, double LossG, double RealScore, double FakeScore, bool DiscriminatorWon = false)
{
    /// <summary>An autoencoder's mean squared error per pixel (images in [-1, 1]); null for a GAN.</summary>
    public double? Reconstruction { get; init; }

    /// <summary>A VAE's KL divergence per image (0 for a plain autoencoder); null for a GAN.</summary>
    public double? Kl { get; init; }

    public bool IsAutoencoder => Reconstruction is not null;

    /// <summary>Every loss the step reports is finite (the divergence guard's test).</summary>
    public bool Finite => IsAutoencoder
        ? double.IsFinite(LossG) && double.IsFinite(Reconstruction!.Value) && double.IsFinite(Kl ?? 0)
        : double.IsFinite(LossD) && double.IsFinite(LossG);

    public static StepStats ForAutoencoder(double loss, double reconstruction, double kl) =>
        new(double.NaN, loss, double.NaN, double.NaN) { Reconstruction = reconstruction, Kl = kl };
}

namespace Atelier.Studio;

/// <summary>One run as the runs page shows it; <see cref="Autoencoder"/>: an autoencoder or VAE run, whose rows report reconstruction, not a game.</summary>
public sealed record RunSummary(
    string Name, string Model, string Dataset, string Objective, int Resolution, int Channels, string? Preset,
    long Step, long TotalSteps, double? BestFid, string? LatestSample, bool Live, DateTimeOffset Updated, int Checkpoints, int Classes,
    string Discriminator = "pixel", string? Parent = null, bool Autoencoder = false);

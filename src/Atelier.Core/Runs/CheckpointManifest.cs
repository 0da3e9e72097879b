using Atelier.Models;
using Atelier.Training;

namespace Atelier.Runs;

/// <summary>
/// manifest.json of a checkpoint: a typed, code-free description of what the weight files hold and how
/// to continue from them.
/// </summary>
public sealed record CheckpointManifest
{
    public const string FormatName = "atelier-checkpoint";
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required long Step { get; init; }

    public required long Seed { get; init; }

    public required ModelOptions Model { get; init; }

    public required TrainingOptions Training { get; init; }

    public required string DatasetName { get; init; }

    public required string DatasetFingerprint { get; init; }

    /// <summary>Library versions the weights were written with.</summary>
    public required Dictionary<string, string> Versions { get; init; }

    /// <summary>Learning rates are multiplied by this after divergence rollbacks.</summary>
    public double LearningRateScale { get; init; } = 1.0;

    public int Rollbacks { get; init; }

    public int DiscriminatorWinStreak { get; init; }

    public int Threads { get; init; }

    /// <summary>ADA: the augmentation probability reached at this step.</summary>
    public double AugmentProbability { get; init; }

    /// <summary>SHA-256 of each file in the checkpoint folder.</summary>
    public required Dictionary<string, string> Files { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }
}

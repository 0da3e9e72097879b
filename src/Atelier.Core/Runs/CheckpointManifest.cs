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
    /// <summary>1: weights as .atlt archives; 2: as safetensors (<see cref="CheckpointFiles"/>). Both are read.</summary>
    public const int CurrentFormatVersion = 2;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required long Step { get; init; }

    public required long Seed { get; init; }

    /// <summary>The model family (<see cref="ModelFamilies"/>) that builds the networks; older manifests: Model.Architecture.</summary>
    public string? Family { get; init; }

    public required ModelOptions Model { get; init; }

    /// <summary>
    /// The frozen parts the weight files leave out, by state-dict prefix ("discriminator.features"): "identity:sha256" of
    /// the weights the family builds them with. A load checks that it builds the same ones.
    /// </summary>
    public Dictionary<string, string> FrozenWeights { get; init; } = [];

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

    /// <summary>
    /// False when the run was not healthy as the checkpoint was written (a weight not finite, or the discriminator
    /// winning outright on that step): a rollback never goes back to it. Null in older manifests (taken as healthy).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? Healthy { get; init; }

    /// <summary>SHA-256 of each file in the checkpoint folder.</summary>
    public required Dictionary<string, string> Files { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }
}

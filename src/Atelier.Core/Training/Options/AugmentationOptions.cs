using System.Text.Json.Serialization;
using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>What is done to images before the discriminator sees them.</summary>
public sealed record AugmentationOptions
{
    /// <summary>Random horizontal flips of real images (off for digits and text).</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Differentiable augmentation of real and generated images (--augment).</summary>
    [JsonPropertyName("augment")]
    public AugmentMode Mode { get; init; } = TrainingDefaults.Augment;

    /// <summary>DiffAugment operations, comma-separated: color, translation, cutout (--augment-ops).</summary>
    [JsonPropertyName("augmentOps")]
    public string Operations { get; init; } = TrainingDefaults.AugmentOps;

    /// <summary>ADA: the target of r_t = E[sign(D(real))].</summary>
    public double AdaTarget { get; init; } = TrainingDefaults.AdaTarget;

    /// <summary>ADA: images over which the probability can move from 0 to 1.</summary>
    public double AdaSpeedImages { get; init; } = TrainingDefaults.AdaSpeedImages;

    /// <summary>Throws with the flag named when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new OptionException($"--augment: {(int)Mode} is not an augmentation mode.");
        DiffAugment.ParseOperations(Operations);
        if (AdaTarget is <= 0 or >= 1) throw new OptionException($"--ada-target: {AdaTarget} must be in (0, 1).");
        if (AdaSpeedImages < 1) throw new OptionException("--ada-speed must be at least 1 image.");
    }
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Training;

/// <summary>Differentiable augmentation of what the discriminator sees (--augment).</summary>
[JsonConverter(typeof(StrictEnumConverter<AugmentMode>))]
public enum AugmentMode
{
    /// <summary>No augmentation.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Zhao 2020 DiffAugment, always on, on real and generated images.</summary>
    [JsonStringEnumMemberName("diffaugment")] DiffAugment,

    /// <summary>Karras 2020 ADA: the probability follows the discriminator's overfitting.</summary>
    [JsonStringEnumMemberName("ada")] Ada,
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Sampling;

/// <summary>What a <see cref="GenerationRecipe"/> renders.</summary>
[JsonConverter(typeof(StrictEnumConverter<GenerationKind>))]
public enum GenerationKind
{
    /// <summary>All seeds in one grid image.</summary>
    [JsonStringEnumMemberName("grid")] Grid,

    /// <summary>One image of one seed.</summary>
    [JsonStringEnumMemberName("single")] SingleImage,

    /// <summary>A SeFa sheet of one seed: a row per direction (<see cref="GenerationRecipe.Directions"/> of them),
    /// the seed moved by <see cref="GenerationRecipe.SheetDistances"/> along it.</summary>
    [JsonStringEnumMemberName("directions")] DirectionsSheet,
}

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
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Valuation;

/// <summary>Which test collection <see cref="ValueExample.Write"/> makes; in each the truth is known.</summary>
[JsonConverter(typeof(StrictEnumConverter<ValueExampleKind>))]
public enum ValueExampleKind
{
    /// <summary>value = 20·shapes + 3·mean radius (px) + 100·saturation + noise (σ = 10): learnable.</summary>
    [JsonStringEnumMemberName("shapes")] Shapes,

    /// <summary>The shapes collection with its values shuffled among the works: nothing to learn.</summary>
    [JsonStringEnumMemberName("shuffled")] Shuffled,

    /// <summary>Each artist has a palette and a price level drawn at random; a work's price is its artist's level (±10%).</summary>
    [JsonStringEnumMemberName("artists")] Artists,

    /// <summary>The shapes collection as yes/no: sold when its value is above the median.</summary>
    [JsonStringEnumMemberName("sold")] Sold,
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Models;

/// <summary>The discriminator's normalisation layers (--critic-norm).</summary>
[JsonConverter(typeof(StrictEnumConverter<Normalization>))]
public enum Normalization
{
    /// <summary>Batch norm (Radford 2015).</summary>
    [JsonStringEnumMemberName("batch")] Batch,

    /// <summary>Layer norm, Gulrajani 2017's choice for a penalised critic (no coupling between samples).</summary>
    [JsonStringEnumMemberName("layer")] Layer,

    /// <summary>None (spectral norm or nothing).</summary>
    [JsonStringEnumMemberName("none")] None,
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Training;

/// <summary>The optimiser of both networks (--optimizer).</summary>
[JsonConverter(typeof(StrictEnumConverter<Optimizer>))]
public enum Optimizer
{
    /// <summary>Kingma 2015 Adam.</summary>
    [JsonStringEnumMemberName("adam")] Adam,

    /// <summary>RMSProp, WGAN's choice (Arjovsky 2017: momentum destabilises the clipped critic).</summary>
    [JsonStringEnumMemberName("rmsprop")] RmsProp,
}

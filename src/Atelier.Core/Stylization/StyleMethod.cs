using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Stylization;

/// <summary>How `atelier style` makes its picture (--method).</summary>
[JsonConverter(typeof(StrictEnumConverter<StyleMethod>))]
public enum StyleMethod
{
    /// <summary>Gatys et al. 2016: L-BFGS moves the pixels until the ResNet18 Gram matrices match (minutes).</summary>
    [JsonStringEnumMemberName("gatys")] Gatys,

    /// <summary>Li et al. 2017 (universal style transfer): the whitening and colouring transform of ResNet18's layer3,
    /// layer2 and layer1 features, each decoded by a decoder trained for reconstruction only (one pass per level).</summary>
    [JsonStringEnumMemberName("wct")] Wct,

    /// <summary>Huang and Belongie 2017: each channel's mean and standard deviation matched, through the same decoders.</summary>
    [JsonStringEnumMemberName("adain")] Adain,
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Models;

/// <summary>What the discriminator looks at (--discriminator).</summary>
[JsonConverter(typeof(StrictEnumConverter<DiscriminatorKind>))]
public enum DiscriminatorKind
{
    /// <summary>The family's own discriminator on the pixels (DCGAN's, the classic one).</summary>
    [JsonStringEnumMemberName("pixel")] Pixel,

    /// <summary>Sauer 2021: small discriminators on frozen ImageNet ResNet18 features with fixed random mixing.</summary>
    [JsonStringEnumMemberName("projected")] Projected,

    /// <summary>Both: the pixel discriminator and the projected one, each with half the loss's weight.</summary>
    [JsonStringEnumMemberName("ensemble")] Ensemble,

    /// <summary>Liu 2021 (FastGAN): a pixel discriminator that also rebuilds the real images from its features; no pretrained network.</summary>
    [JsonStringEnumMemberName("self-supervised")] SelfSupervised,
}

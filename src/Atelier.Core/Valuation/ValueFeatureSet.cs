using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Valuation;

/// <summary>What a value model sees of each work.</summary>
[JsonConverter(typeof(StrictEnumConverter<ValueFeatureSet>))]
public enum ValueFeatureSet
{
    /// <summary>The <see cref="ImageDescriptors"/> and the ImageNet ResNet18's 512 pooled features.</summary>
    [JsonStringEnumMemberName("resnet18+descriptors")] Both,

    /// <summary>The <see cref="ImageDescriptors"/> only: every weight readable, no network (fast).</summary>
    [JsonStringEnumMemberName("descriptors")] Descriptors,

    /// <summary>The ResNet18 features only.</summary>
    [JsonStringEnumMemberName("resnet18")] ResNet18,
}

using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Stylization;

/// <summary>
/// How the ResNet18 activations are transformed before their Gram matrices are matched (--smoothing). ResNet features
/// transfer style poorly as they are: the deep layers' activations are peaky (low entropy), so their Gram matrices
/// dominate the loss and are matched by a few large responses. Wang, Li and Vasconcelos (CVPR 2021, "Rethinking and
/// Improving the Robustness of Image Style Transfer", code peiwang062/swag) smooth them.
/// </summary>
[JsonConverter(typeof(StrictEnumConverter<FeatureSmoothing>))]
public enum FeatureSmoothing
{
    /// <summary>Raw activations: Gatys 2016's loss on ResNet18, each layer's Gram difference at its own scale.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>SWAG: every style layer passed through a softmax over its channels at each position (the released
    /// code's Softmax2d; its other form, one softmax over all of a layer's activations, is so peaked on ResNet18's stem
    /// that the picture hardly changed, docs/style-transfer.md).</summary>
    [JsonStringEnumMemberName("softmax")] Softmax,

    /// <summary>The softmax on layer3 and layer4 only (the released code notes that smoothing only the deeper layers is
    /// sometimes best).</summary>
    [JsonStringEnumMemberName("softmax-deep")] SoftmaxDeep,

    /// <summary>The released code's later default: layer3 and layer4 scaled by 0.001 (their Gram terms by 10⁻¹²), which
    /// leaves the style to the stem, layer1 and layer2.</summary>
    [JsonStringEnumMemberName("rescale")] Rescale,

    /// <summary>Raw activations with each layer's Gram difference divided by its target's mean square, so that every
    /// layer counts alike whatever its scale.</summary>
    [JsonStringEnumMemberName("balanced")] Balanced,
}

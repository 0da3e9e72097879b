using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>A discriminator that also exposes the activations of its last hidden layer (feature matching).</summary>
public interface IFeatureDiscriminator
{
    /// <returns>Logits [B] and features [B, F] (the flattened last hidden layer).</returns>
    (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images);

    /// <summary>F, the length of the feature vector.</summary>
    long FeatureSize { get; }
}


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

/// <summary>A generator whose input rows are [z, class index] when <see cref="Classes"/> &gt; 0.</summary>
public interface IConditionalGenerator
{
    /// <summary>Number of classes it is conditioned on; 0 for an unconditional generator.</summary>
    int Classes { get; }

    int LatentSize { get; }
}

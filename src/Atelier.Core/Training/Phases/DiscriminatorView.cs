using Atelier.Models;
using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>The discriminator as one pass sees it: bound to that pass's labels, which a projection discriminator needs.</summary>
public readonly struct DiscriminatorView(nn.Module<Tensor, Tensor> discriminator, Tensor? labels)
{
    public nn.Module<Tensor, Tensor> Module => discriminator;

    /// <summary>[B] logits.</summary>
    public Tensor Logits(Tensor images) =>
        discriminator is LabelledDiscriminator labelled ? labelled.ForwardWithFeatures(images, labels).Logits : discriminator.forward(images);

    /// <summary>[B] logits and, where the discriminator exposes them, [B, F] features of its last hidden layer.</summary>
    public (Tensor Logits, Tensor? Features) WithFeatures(Tensor images) => discriminator switch
    {
        LabelledDiscriminator labelled => labelled.ForwardWithFeatures(images, labels),
        IFeatureDiscriminator features => features.ForwardWithFeatures(images),
        _ => (discriminator.forward(images), null),
    };

    /// <summary>[B] logits, and the reconstructions of a self-supervised discriminator (null for others), which rebuilds part <paramref name="part"/>.</summary>
    public (Tensor Logits, IReadOnlyList<(Tensor Output, Tensor Target)>? Reconstructions) WithReconstructions(Tensor images, int part) =>
        discriminator is IReconstructingDiscriminator reconstructing ? reconstructing.ForwardReconstructing(images, part) : (Logits(images), null);

    /// <summary>The style head's [B, K] class logits of features from <see cref="WithFeatures"/> (CAN).</summary>
    public Tensor ClassLogits(Tensor features) =>
        discriminator is LabelledDiscriminator labelled ? labelled.ClassLogits(features) : throw new InvalidOperationException("this discriminator has no class head");
}

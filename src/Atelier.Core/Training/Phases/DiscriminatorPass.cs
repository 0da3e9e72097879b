using Atelier.Data;
using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>One discriminator pass: the real batch, the generated batch (detached), what the discriminator saw and said.</summary>
public sealed class DiscriminatorPass
{
    public required PassPosition Position { get; init; }

    public required Batch Batch { get; init; }

    /// <summary>The discriminator bound to this batch's labels.</summary>
    public required DiscriminatorView Discriminator { get; init; }

    /// <summary>[B] class indices of the real batch (and of the generated images, which take the real batch's classes); null when unlabelled.</summary>
    public required Tensor? Labels { get; init; }

    /// <summary>[B, C, R, R] real images, before augmentation.</summary>
    public required Tensor Real { get; init; }

    /// <summary>[B, C, R, R] generated images, detached from the generator.</summary>
    public required Tensor Fake { get; init; }

    /// <summary>The real images as the discriminator saw them (augmented when augmentation is on).</summary>
    public required Tensor RealSeen { get; init; }

    /// <summary>The generated images as the discriminator saw them.</summary>
    public required Tensor FakeSeen { get; init; }

    public required Tensor RealLogits { get; init; }

    /// <summary>[B, F] the last hidden layer on <see cref="RealSeen"/>, where the discriminator exposes it.</summary>
    public required Tensor? RealFeatures { get; init; }

    public required Tensor FakeLogits { get; init; }

    /// <summary>A self-supervised discriminator's reconstructions of <see cref="RealSeen"/>, each beside its target; null for other discriminators.</summary>
    public IReadOnlyList<(Tensor Output, Tensor Target)>? Reconstructions { get; init; }
}

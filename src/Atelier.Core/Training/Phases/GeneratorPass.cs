using static TorchSharp.torch;

namespace Atelier.Training.Phases;

/// <summary>
/// The generator pass: generated images with their graph, and what the discriminator says of them, computed once on
/// first use so that every term of the phase reads the same forward pass.
/// </summary>
public sealed class GeneratorPass(PassPosition position, DiscriminatorView discriminator, Tensor real, Tensor fake, Augmentation augmentation)
{
    private (Tensor Logits, Tensor? Features)? _fakeOutput;

    public PassPosition Position => position;

    public DiscriminatorView Discriminator => discriminator;

    /// <summary>[B, C, R, R] the last real batch of the step (feature matching's target).</summary>
    public Tensor Real => real;

    /// <summary>[B, C, R, R] generated images; gradients flow back to the generator.</summary>
    public Tensor Fake => fake;

    /// <summary>The real images as the discriminator sees them in this pass.</summary>
    public Tensor RealSeen() => augmentation.Apply(real, position, AugmentDraw.GeneratorReal);

    /// <summary>The discriminator's logits and features of the (augmented) generated images.</summary>
    public (Tensor Logits, Tensor? Features) FakeOutput => _fakeOutput ??= discriminator.WithFeatures(augmentation.Apply(fake, position, AugmentDraw.GeneratorFake));
}

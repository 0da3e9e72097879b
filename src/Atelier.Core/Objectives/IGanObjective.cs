using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>A GAN loss: what the discriminator and the generator each minimise, given raw logits.</summary>
public interface IGanObjective
{
    string Name { get; }

    /// <summary>Discriminator (critic) loss from logits on real [B] and generated [B] images.</summary>
    Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    /// <summary>Generator loss from the discriminator's logits on generated images [B].</summary>
    Tensor GeneratorLoss(Tensor fakeLogits);
}

using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>A GAN loss: what the discriminator and the generator each minimise, given raw logits.</summary>
public interface IGanObjective
{
    /// <summary>Which game this is.</summary>
    Objective Kind { get; }

    /// <summary>Discriminator (critic) loss from logits on real [B] and generated [B] images.</summary>
    Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    /// <summary>Generator loss from the discriminator's logits on generated images [B].</summary>
    Tensor GeneratorLoss(Tensor fakeLogits);

    /// <summary>
    /// True when, on this pass, the discriminator has won outright in this game's own terms (the divergence guard rolls
    /// back after DivergenceWindow such steps in a row).
    /// </summary>
    bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits);

    /// <summary>What <see cref="DiscriminatorWins"/> tests, for messages and the log.</summary>
    string WinCondition { get; }
}

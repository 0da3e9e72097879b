namespace Atelier.Training.Phases;

/// <summary>
/// The four phases of a GAN step (StyleGAN2's Dmain, Dreg, Gmain, Greg). Each network's phases are summed into one
/// loss and one backward pass: the regularisers here are not lazy in the sense of a separate pass, and one pass keeps
/// every update bit for bit what it was before the phases were named.
/// </summary>
public enum TrainingPhase
{
    /// <summary>The discriminator's game loss on real and generated images, and auxiliary tasks on the same pass (CAN's style classes).</summary>
    DiscriminatorMain,

    /// <summary>Terms that constrain the discriminator itself: R1, the gradient penalty, historical averaging, weight clipping.</summary>
    DiscriminatorRegularization,

    /// <summary>The generator's game loss (adversarial, or feature matching in its place).</summary>
    GeneratorMain,

    /// <summary>Terms added to it: CAN's style ambiguity, historical averaging.</summary>
    GeneratorRegularization,
}

using Atelier.Objectives;
using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>
/// Mescheder 2018: (γ/2)·E‖∇D(x)‖² on the real images as the discriminator saw them (augmented: the augmentation
/// is part of the discriminator). Lazy as in StyleGAN2: every <c>every</c>-th critic step, scaled by <c>every</c>.
/// </summary>
public sealed class R1Regularizer(double gamma, int every) : IDiscriminatorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorRegularization;

    public Tensor? Loss(DiscriminatorPass pass) =>
        pass.Position.CriticStep % every == 0 ? gamma / 2 * every * R1Penalty.Compute(pass.Discriminator.Logits, pass.RealSeen) : null;
}

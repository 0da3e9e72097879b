using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>CAN (Elgammal 2017): the discriminator also learns the style (class) of the real images, from the same pass.</summary>
public sealed class StyleClassification : IDiscriminatorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorMain;

    public Tensor? Loss(DiscriminatorPass pass) =>
        nn.functional.cross_entropy(pass.Discriminator.ClassLogits(pass.RealFeatures!), pass.Labels!);
}

using Atelier.Objectives;
using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>The game's generator loss on the discriminator's logits of the generated images.</summary>
public sealed class AdversarialGeneratorLoss(IGanObjective objective) : IGeneratorLoss
{
    public Tensor Loss(GeneratorPass pass) => objective.GeneratorLoss(pass.FakeOutput.Logits);
}

using Atelier.Objectives;
using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>CAN (Elgammal 2017): the generator is also rewarded, with weight λ, for fitting no known style better than another.</summary>
public sealed class StyleAmbiguityRegularizer(double weight) : IGeneratorTerm
{
    public Tensor? Loss(GeneratorPass pass) =>
        weight * StyleAmbiguity.Compute(pass.Discriminator.ClassLogits(pass.FakeOutput.Features!));
}

using Atelier.Training.Phases;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>WGAN (Arjovsky 2017, Algorithm 1): after each critic update every weight is clamped to [−c, c]. Adds no loss.</summary>
public sealed class WeightClipping(double bound, IReadOnlyList<Parameter> parameters) : IDiscriminatorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorRegularization;

    public Tensor? Loss(DiscriminatorPass pass) => null;

    public void AfterUpdate()
    {
        using var noGrad = no_grad();
        foreach (var p in parameters) p.clamp_(-bound, bound);
    }
}

using Atelier.Objectives;
using Atelier.Training.Phases;
using static TorchSharp.torch;

namespace Atelier.Training.Terms;

/// <summary>
/// WGAN-GP (Gulrajani 2017, Algorithm 1): λ·E(‖∇D(x̂)‖ − 1)² at random points between real and generated images, both
/// as the critic saw them: like R1, the penalty constrains the function the critic computes, augmentation included.
/// </summary>
public sealed class GradientPenaltyRegularizer(double weight, RandomStreams streams) : IDiscriminatorTerm
{
    public TrainingPhase Phase => TrainingPhase.DiscriminatorRegularization;

    public Tensor? Loss(DiscriminatorPass pass) =>
        weight * GradientPenalty.Compute(pass.Discriminator.Logits, pass.RealSeen, pass.FakeSeen, streams.PenaltyWeights(pass.Position, pass.Batch.Size));
}

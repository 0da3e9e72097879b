using Atelier.Objectives;
using Atelier.Training;
using Atelier.Training.Phases;
using Atelier.Training.Terms;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Training;

/// <summary>The regularisers see what the discriminator saw.</summary>
public sealed class TermTests
{
    /// <summary>D(x) = Σ w·x² per image: a gradient that depends on where it is taken.</summary>
    private static readonly Func<Tensor, Tensor> Critic = x => (x * x).flatten(1).sum(1);

    private static DiscriminatorPass Pass(Tensor real, Tensor fake, Tensor realSeen, Tensor fakeSeen) => new()
    {
        Position = PassPosition.Discriminator(step: 3, index: 0, discriminatorSteps: 1),
        Batch = new Atelier.Data.Batch(0, new float[2 * 4], [-1, -1], 2, 1, 2),
        Discriminator = new DiscriminatorView(new Probe(), null),
        Labels = null, Real = real, Fake = fake, RealSeen = realSeen, FakeSeen = fakeSeen,
        RealLogits = Critic(realSeen), RealFeatures = null, FakeLogits = Critic(fakeSeen),
    };

    private sealed class Probe() : TorchSharp.torch.nn.Module<Tensor, Tensor>("probe")
    {
        public override Tensor forward(Tensor x) => Critic(x);
    }

    [Fact]
    public void The_gradient_penalty_and_r1_are_taken_on_the_augmented_images_as_the_discriminator_saw_them()
    {
        using var scope = NewDisposeScope();
        var real = full(2, 1, 2, 2, 0.5f);
        var fake = full(2, 1, 2, 2, -0.25f);
        var realSeen = full(2, 1, 2, 2, 2f); // "augmented": a different point of image space
        var fakeSeen = full(2, 1, 2, 2, -1f);
        var pass = Pass(real, fake, realSeen, fakeSeen);
        var streams = new RandomStreams(seed: 1, CPU);
        var gp = new GradientPenaltyRegularizer(10, streams).Loss(pass)!.item<float>();
        var epsilon = streams.PenaltyWeights(pass.Position, 2);
        Assert.Equal(10 * GradientPenalty.Compute(Critic, realSeen, fakeSeen, epsilon).item<float>(), gp, 4);
        // Before, the penalty used the unaugmented images while R1 used the augmented ones.
        Assert.NotEqual(10 * GradientPenalty.Compute(Critic, real, fake, epsilon).item<float>(), gp, 2);
        var r1 = new R1Regularizer(gamma: 2, every: 1).Loss(pass)!.item<float>();
        Assert.Equal(R1Penalty.Compute(Critic, realSeen).item<float>(), r1, 4); // γ/2 · every = 1
        // ∇ Σ x² = 2x: at x = 2 over 4 pixels, ‖∇‖² = 4 · 16 = 64.
        Assert.Equal(64, r1, 3);
    }
}

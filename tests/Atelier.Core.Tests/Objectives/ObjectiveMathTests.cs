using Atelier.Models;
using Atelier.Objectives;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Objectives;

public sealed class ObjectiveMathTests
{
    private static Tensor T(params float[] values) => tensor(values);

    private static double D(IGanObjective o, float[] real, float[] fake) => o.DiscriminatorLoss(T(real), T(fake)).item<float>();

    private static double G(IGanObjective o, float[] fake) => o.GeneratorLoss(T(fake)).item<float>();

    [Fact]
    public void Minimax_generator_minimises_log_one_minus_d()
    {
        var o = ObjectiveCatalog.Create(Objective.Minimax);
        Assert.Equal(Math.Log(0.5), G(o, [0f]), 5);
        Assert.Equal(Math.Log(1 - 1 / (1 + Math.Exp(-2))), G(o, [2f]), 5);
        Assert.Equal(2 * Math.Log(2), D(o, [0f], [0f]), 5); // the same discriminator game as non-saturating
    }

    [Fact]
    public void Wasserstein_losses_are_differences_of_means()
    {
        var o = ObjectiveCatalog.Create(Objective.Wgan);
        Assert.Equal(0.5 - 2.0, D(o, [1f, 3f], [0.5f]), 6);
        Assert.Equal(-0.5, G(o, [0.5f, 0.5f]), 6);
    }

    [Fact]
    public void Hinge_losses_match_hand_values()
    {
        var o = ObjectiveCatalog.Create(Objective.Hinge);
        // real [2, 0.5]: relu(1-2)=0, relu(0.5)=0.5 → 0.25; fake [-2, 0.5]: relu(-1)=0, relu(1.5)=1.5 → 0.75.
        Assert.Equal(1.0, D(o, [2f, 0.5f], [-2f, 0.5f]), 6);
        Assert.Equal(0.75, G(o, [-2f, 0.5f]), 6); // −mean(−2, 0.5)
    }

    [Fact]
    public void Least_squares_losses_match_hand_values()
    {
        var o = ObjectiveCatalog.Create(Objective.LeastSquares);
        // ½·mean((1-1)², (3-1)²) + ½·mean(0², 2²) = 1 + 1.
        Assert.Equal(2.0, D(o, [1f, 3f], [0f, 2f]), 6);
        Assert.Equal(0.5, G(o, [0f, 2f]), 6);
    }

    [Fact]
    public void Defaults_follow_the_papers()
    {
        var wgan = ObjectiveCatalog.Defaults(Objective.Wgan);
        Assert.Equal((Optimizer.RmsProp, 5e-5, 5, 0.01), (wgan.Optimizer, wgan.LearningRate, wgan.DiscriminatorSteps, wgan.WeightClip));
        var gp = ObjectiveCatalog.Defaults(Objective.WganGp);
        Assert.Equal((Optimizer.Adam, 1e-4, 0.0, 0.9, 5, 10.0, Normalization.Layer), (gp.Optimizer, gp.LearningRate, gp.Beta1, gp.Beta2, gp.DiscriminatorSteps, gp.GradientPenalty, gp.Normalization));
        var ns = ObjectiveCatalog.Defaults(Objective.NonSaturating);
        Assert.Equal((Optimizer.Adam, 2e-4, 0.5, 1, Normalization.Batch), (ns.Optimizer, ns.LearningRate, ns.Beta1, ns.DiscriminatorSteps, ns.Normalization));
    }

    [Theory]
    [InlineData(Objective.NonSaturating, new[] { 6f, 5f }, new[] { -6f, -5f }, true)] // σ: 0.995 and 0.005
    [InlineData(Objective.NonSaturating, new[] { 6f, 3f }, new[] { -6f, -5f }, false)] // σ(3) = 0.95: mean 0.97
    [InlineData(Objective.Minimax, new[] { 6f, 5f }, new[] { -6f, -4f }, false)] // σ(−4) = 0.018: mean 0.010
    [InlineData(Objective.Hinge, new[] { 1f, 2.5f }, new[] { -1f, -3f }, true)] // every margin met: the hinge loss is 0
    [InlineData(Objective.Hinge, new[] { 0.99f, 2.5f }, new[] { -1f, -3f }, false)]
    [InlineData(Objective.LeastSquares, new[] { 1.05f, 0.95f }, new[] { 0.05f, -0.05f }, true)] // both mean squared errors 0.0025
    [InlineData(Objective.LeastSquares, new[] { 1.05f, 0.75f }, new[] { 0.05f, -0.05f }, false)] // real side 0.0325
    [InlineData(Objective.Wgan, new[] { 3f, 3.5f }, new[] { 1f, 2f }, true)] // gap 1 > spread 0.5
    [InlineData(Objective.WganGp, new[] { 3f, 4.5f }, new[] { 1f, 2f }, false)] // gap 1 < spread 1.5: separated, but not outright
    [InlineData(Objective.WganGp, new[] { 3f, 3.5f }, new[] { 1f, 3.2f }, false)] // overlapping
    public void Every_objective_says_when_the_discriminator_has_won_outright(Objective name, float[] real, float[] fake, bool wins)
    {
        var o = ObjectiveCatalog.Create(name);
        Assert.Equal(wins, o.DiscriminatorWins(T(real), T(fake)));
        Assert.False(string.IsNullOrWhiteSpace(o.WinCondition));
    }
}

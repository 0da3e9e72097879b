using Atelier.Objectives;
using Atelier.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Training;

public sealed class ObjectiveAndOptimizerTests
{
    [Fact]
    public void Non_saturating_losses_match_hand_computed_values()
    {
        var objective = new NonSaturatingObjective();
        // Logits 0: σ = ½, so D loss = −log ½ − log ½ = 2 ln 2 and G loss = ln 2.
        Assert.Equal(2 * Math.Log(2), objective.DiscriminatorLoss(zeros(4), zeros(4)).item<float>(), 5);
        Assert.Equal(Math.Log(2), objective.GeneratorLoss(zeros(4)).item<float>(), 5);
        // Real logit 2, fake logit −1: −log σ(2) − log(1 − σ(−1)) = log(1+e^−2) + log(1+e^−1).
        var d = objective.DiscriminatorLoss(tensor(new[] { 2f }), tensor(new[] { -1f })).item<float>();
        Assert.Equal(Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1)), d, 5);
        Assert.Equal(Math.Log(1 + Math.Exp(1)), objective.GeneratorLoss(tensor(new[] { -1f })).item<float>(), 5);
        // One-sided smoothing: real target 0.9 gives BCE(l, 0.9) = −0.9 log σ(l) − 0.1 log(1 − σ(l)).
        var smooth = new NonSaturatingObjective(0.9).DiscriminatorLoss(tensor(new[] { 2f }), tensor(new[] { -50f })).item<float>();
        double s = 1 / (1 + Math.Exp(-2));
        Assert.Equal(-0.9 * Math.Log(s) - 0.1 * Math.Log(1 - s), smooth, 4);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_the_learning_rate()
    {
        // With bias correction the first update is lr · g / (|g| + ε) = lr · sign(g).
        var p = new Parameter(tensor(new[] { 1f, -2f }));
        var adam = new AdamOptimizer([p], 0.1, 0.5, 0.999);
        (p * tensor(new[] { 3f, -5f })).sum().backward();
        adam.StepUpdate();
        Assert.Equal(0.9f, p[0].item<float>(), 5);
        Assert.Equal(-1.9f, p[1].item<float>(), 5);
    }

    [Fact]
    public void Adam_matches_torch_adam_over_many_steps()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var start = randn(new long[] { 5, 3 }, generator: generator);
        var mine = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        var adam = new AdamOptimizer([mine], 0.01, 0.5, 0.999);
        var reference = optim.Adam([theirs], 0.01, 0.5, 0.999);
        var target = randn(new long[] { 5, 3 }, generator: generator);
        for (int i = 0; i < 25; i++)
        {
            adam.ZeroGrad();
            (mine - target).pow(2).sum().backward();
            adam.StepUpdate();
            reference.zero_grad();
            (theirs - target).pow(2).sum().backward();
            reference.step();
        }
        Assert.True(mine.allclose(theirs, rtol: 1e-5, atol: 1e-6), "same update as torch.optim.Adam");
        Assert.Equal(25, adam.Step);
    }

    [Fact]
    public void Ema_half_life_ramps_up_with_images_seen()
    {
        var ema = new ExponentialMovingAverage(nn.Linear(1, 1), nn.Linear(1, 1), halfLifeImages: 10_000, rampUp: 0.05);
        Assert.Equal(Math.Pow(0.5, 64.0 / (6400 * 0.05)), ema.Beta(64, 6400), 12); // ramp-up: h = 320
        Assert.Equal(Math.Pow(0.5, 64.0 / 10_000), ema.Beta(64, 1_000_000), 12); // full half-life
    }

    [Fact]
    public void Ema_update_moves_the_average_toward_the_weights()
    {
        var source = nn.Linear(1, 1, hasBias: false);
        var average = nn.Linear(1, 1, hasBias: false);
        using (no_grad())
        {
            source.weight!.fill_(1);
            average.weight!.fill_(0);
        }
        var ema = new ExponentialMovingAverage(source, average, halfLifeImages: 10, rampUp: 0);
        ema.Update(10, 1000); // β = ½
        Assert.Equal(0.5f, average.weight!.item<float>(), 6);
        ema.Update(10, 1000);
        Assert.Equal(0.75f, average.weight!.item<float>(), 6);
    }
}

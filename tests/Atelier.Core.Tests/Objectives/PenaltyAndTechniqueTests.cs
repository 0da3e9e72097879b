using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Objectives;

public sealed class PenaltyAndTechniqueTests
{
    [Fact]
    public void Gradient_penalty_of_a_linear_critic_and_its_gradient_are_analytic()
    {
        // f(x) = w·x has ∇ₓf = w everywhere, so the penalty is (‖w‖ − 1)² and d/dw = 2(‖w‖ − 1)·w/‖w‖.
        var w = new Parameter(tensor(new[] { 3f, 4f }));
        Tensor Critic(Tensor x) => x.flatten(1).matmul(w);
        var real = randn(5, 1, 1, 2);
        var fake = randn(5, 1, 1, 2);
        var penalty = GradientPenalty.Compute(Critic, real, fake, rand(5));
        Assert.Equal(16.0, penalty.item<float>(), 4);
        penalty.backward();
        Assert.Equal(4.8f, w.grad![0].item<float>(), 4);
        Assert.Equal(6.4f, w.grad![1].item<float>(), 4);
    }

    [Fact]
    public void Gradient_penalty_gradient_reaches_critic_weights_through_double_backward()
    {
        // A nonlinear critic: the penalty's weight gradient from autograd equals central finite differences.
        var generator = new Generator(5);
        var first = nn.Linear(4, 3);
        var second = nn.Linear(3, 1);
        using (no_grad())
        {
            first.weight!.copy_(randn(3, 4, generator: generator));
            first.bias!.copy_(randn(3, generator: generator));
            second.weight!.copy_(randn(1, 3, generator: generator));
        }
        Tensor Critic(Tensor x) => second.forward(first.forward(x.flatten(1)).tanh()).view(-1);
        var real = randn(new long[] { 6, 1, 2, 2 }, generator: generator);
        var fake = randn(new long[] { 6, 1, 2, 2 }, generator: generator);
        var eps = rand(new long[] { 6 }, generator: generator);
        first.weight!.grad = null;
        GradientPenalty.Compute(Critic, real, fake, eps).backward();
        var analytic = first.weight!.grad!.clone();
        Assert.True(analytic.abs().sum().item<float>() > 1e-3, "the penalty must move the first layer");
        const float h = 1e-2f;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
            {
                double Penalty(float delta)
                {
                    using (no_grad()) first.weight![i, j] += delta;
                    var p = GradientPenalty.Compute(Critic, real, fake, eps).item<float>();
                    using (no_grad()) first.weight![i, j] -= delta;
                    return p;
                }
                double numeric = (Penalty(h) - Penalty(-h)) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[i, j].item<float>()) < 2e-2 * Math.Max(1, Math.Abs(numeric)),
                    $"w[{i},{j}]: autograd {analytic[i, j].item<float>()} vs finite difference {numeric}");
            }
    }

    [Fact]
    public void Minibatch_discrimination_sums_l1_similarities_over_the_batch()
    {
        var layer = new MinibatchDiscrimination(2, 1, 1);
        using (no_grad()) layer.T.copy_(tensor(new[,] { { 1f }, { 0f } }));
        var features = tensor(new[,] { { 0f, 9f }, { 1f, 9f }, { 3f, 9f } });
        var output = layer.forward(features);
        Assert.Equal(new long[] { 3, 3 }, output.shape);
        double E(double d) => Math.Exp(-d);
        Assert.Equal(1 + E(1) + E(3), output[0, 2].item<float>(), 5);
        Assert.Equal(E(1) + 1 + E(2), output[1, 2].item<float>(), 5);
        Assert.Equal(E(3) + E(2) + 1, output[2, 2].item<float>(), 5);
        Assert.Equal(9f, output[1, 1].item<float>());
    }

    [Fact]
    public void Historical_average_penalises_distance_to_the_mean_of_past_values()
    {
        var p = new Parameter(tensor(new[] { 2f }));
        var history = new HistoricalAverage([p]);
        Assert.Equal(0f, history.Penalty().item<float>());
        using (no_grad()) p.fill_(4f);
        history.Update(); // average of 2 and 4
        Assert.Equal(1f, history.Penalty().item<float>(), 6); // (4 − 3)²
        using (no_grad()) p.fill_(9f);
        history.Update(); // average of 2, 4, 9 = 5
        Assert.Equal(16f, history.Penalty().item<float>(), 5);
        Assert.Equal(3, history.Count);
    }

    [Fact]
    public void Virtual_batch_norm_combines_reference_statistics_with_each_example()
    {
        var vbn = new VirtualBatchNorm2d(1, referenceSize: 2, epsilon: 0);
        // Reference [1, 3]: mean 2, E[x²] 5, variance 1. Example 5: μ = (2·2 + 5)/3 = 3, E[x²] = (2·5 + 25)/3, σ² = 8/3.
        var x = tensor(new[] { 1f, 3f, 5f, -7f }).view(4, 1, 1, 1);
        var y = vbn.forward(x).view(-1);
        Assert.Equal(-1f, y[0].item<float>(), 5);
        Assert.Equal(1f, y[1].item<float>(), 5);
        Assert.Equal(2 / Math.Sqrt(8.0 / 3), y[2].item<float>(), 4);
        // An example's output does not depend on the other examples of its batch.
        var alone = vbn.forward(tensor(new[] { 1f, 3f, 5f }).view(3, 1, 1, 1)).view(-1);
        Assert.Equal(y[2].item<float>(), alone[2].item<float>(), 6);
    }

    [Fact]
    public void Rmsprop_matches_torch_rmsprop()
    {
        var generator = new Generator(3);
        var start = randn(new long[] { 4, 2 }, generator: generator);
        var target = randn(new long[] { 4, 2 }, generator: generator);
        var mine = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        var rms = new RmsPropOptimizer([mine], 0.01);
        var reference = optim.RMSProp([theirs], 0.01);
        for (int i = 0; i < 20; i++)
        {
            rms.ZeroGrad();
            (mine - target).pow(2).sum().backward();
            rms.StepUpdate();
            reference.zero_grad();
            (theirs - target).pow(2).sum().backward();
            reference.step();
        }
        Assert.True(mine.allclose(theirs, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(Objective.Wgan, 0.0, Normalization.Batch, 1.0, 0, 0.01, "")]
    [InlineData(Objective.WganGp, 10.0, Normalization.Batch, 1.0, 0, 0.0, "--gradient-penalty")]
    [InlineData(Objective.WganGp, 10.0, Normalization.Layer, 1.0, 8, 0.0, "--minibatch-discrimination")]
    [InlineData(Objective.WganGp, 10.0, Normalization.Layer, 1.0, 0, 0.01, "--weight-clip")]
    [InlineData(Objective.Hinge, 0.0, Normalization.Batch, 0.9, 0, 0.0, "--label-smoothing")]
    public void Contradictory_combinations_are_refused_naming_the_flag(Objective objective, double penalty, Normalization norm, double realLabel, int kernels, double clip, string flag)
    {
        var model = new ModelOptions("dcgan", 28, 1, 8, 8, 8, DiscriminatorNormalization: norm, MinibatchKernels: kernels);
        var options = new TrainingOptions("x", model) { Game = new() { Objective = objective, GradientPenalty = penalty, RealLabel = realLabel, WeightClip = clip } };
        if (flag.Length == 0)
        {
            options.Validate();
            return;
        }
        var e = Assert.Throws<OptionException>(options.Validate);
        Assert.StartsWith(flag, e.Message);
    }
}

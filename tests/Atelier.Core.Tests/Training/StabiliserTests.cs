using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Training;

public class StabiliserTests
{
    [Fact]
    public void SpectralNormalisationBringsTheLargestSingularValueToOne()
    {
        using var scope = NewDisposeScope();
        // Singular values of [[3, 1], [0, 2]]: √(7 ± √13) ≈ 3.303 and 1.817.
        var w = tensor(new float[] { 3, 1, 0, 2 }, new long[] { 2, 2 });
        var u = SpectralNormalization.InitialU(2);
        Tensor normalized = w;
        for (int i = 0; i < 30; i++) normalized = SpectralNormalization.Normalize(w, u, update: true);
        var singular = linalg.svdvals(normalized).data<float>().ToArray();
        Assert.Equal(1.0, singular[0], 4);
        Assert.Equal(Math.Sqrt(7 - Math.Sqrt(13)) / Math.Sqrt(7 + Math.Sqrt(13)), singular[1], 4);
        // In eval mode u does not move.
        var before = u.clone();
        SpectralNormalization.Normalize(w, u, update: false);
        Assert.True(before.equal(u).all().item<bool>());
    }

    [Fact]
    public void SpectralLayersNormaliseTheirWeightAndKeepUInTheStateDict()
    {
        using var scope = NewDisposeScope();
        using var linear = new SpectralLinear(3, 2, bias: true);
        Assert.Contains("u", linear.state_dict().Keys);
        Assert.Contains("weight", linear.state_dict().Keys);
        // A fixed weight with well-separated singular values (3 and 1): the random one of the constructor, drawn from the
        // global generator, sometimes had two close values, which 40 power iterations cannot separate.
        using (no_grad()) linear.state_dict()["weight"].copy_(tensor(new float[] { 2, 1, 0, 1, 2, 0 }, new long[] { 2, 3 }));
        linear.train();
        var x = tensor(new float[] { 1, 2, 3 }, new long[] { 1, 3 });
        for (int i = 0; i < 40; i++) linear.forward(x);
        linear.eval();
        var weight = linear.state_dict()["weight"];
        var sigma = linalg.svdvals(weight).max().item<float>();
        var expected = x.matmul(weight.t() / sigma) + linear.state_dict()["bias"];
        Assert.True(linear.forward(x).allclose(expected, rtol: 1e-4, atol: 1e-5));
        var model = TinyRuns.Model() with { SpectralNorm = true, DiscriminatorNormalization = Normalization.None };
        using var d = GanModels.CreateDiscriminator(model);
        Assert.Contains(d.state_dict().Keys, k => k.EndsWith(".u", StringComparison.Ordinal));
    }

    [Fact]
    public void R1EqualsTheHandComputedGradientNormAndReachesTheWeights()
    {
        using var scope = NewDisposeScope();
        // D(x) = Σ_j w_j x_j², so ∇_x D = 2 w ⊙ x and E‖∇‖² = E Σ_j 4 w_j² x_j².
        var w = tensor(new float[] { 0.5f, -1f, 2f }).requires_grad_(true);
        Func<Tensor, Tensor> d = x => (x.square() * w).sum(1);
        var real = tensor(new float[] { 1, 2, 3, -1, 0, 0.5f }, new long[] { 2, 3 });
        var penalty = R1Penalty.Compute(d, real);
        double expected = (4 * (0.25 * 1 + 1 * 4 + 4 * 9) + 4 * (0.25 * 1 + 1 * 0 + 4 * 0.25)) / 2;
        Assert.Equal(expected, penalty.item<float>(), 3);
        penalty.backward();
        // ∂/∂w_j of E 4 Σ w_j² x_j² = 8 w_j E x_j²
        var grad = w.grad!.data<float>().ToArray();
        Assert.Equal(8 * 0.5 * (1 + 1) / 2.0, grad[0], 3);
        Assert.Equal(8 * -1.0 * (4 + 0) / 2.0, grad[1], 3);
        Assert.Equal(8 * 2.0 * (9 + 0.25) / 2.0, grad[2], 3);
    }

    [Fact]
    public void DiffAugmentIsDifferentiableDeterministicAndIdentityAtZero()
    {
        using var scope = NewDisposeScope();
        var ops = DiffAugment.Operations;
        var x = (rand(new long[] { 4, 3, 16, 16 }, generator: new Generator(1)) * 2 - 1).requires_grad_(true);
        var same = DiffAugment.Apply(x, ops, 0, seed: 0, counter: 0);
        Assert.True(same.equal(x).all().item<bool>());
        var a = DiffAugment.Apply(x, ops, 1, seed: 0, counter: 5);
        var b = DiffAugment.Apply(x, ops, 1, seed: 0, counter: 5);
        var c = DiffAugment.Apply(x, ops, 1, seed: 0, counter: 6);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.False(a.equal(c).all().item<bool>());
        Assert.False(a.equal(x).all().item<bool>());
        a.square().sum().backward();
        var grad = x.grad!;
        Assert.True(grad.abs().sum().item<float>() > 0, "no gradient reached the input");
        // Cutout alone zeroes up to a quarter of each image: those pixels get no gradient, the rest do.
        var z = x.detach().requires_grad_(true);
        DiffAugment.Apply(z, ["cutout"], 1, 0, 7).sum().backward();
        double zeroShare = (z.grad! == 0).to(float32).mean().item<float>();
        Assert.InRange(zeroShare, 0.05, 0.25);
        foreach (var op in ops)
        {
            var y = x.detach().requires_grad_(true);
            DiffAugment.Apply(y, [op], 1, 0, 9).sum().backward();
            Assert.True(y.grad!.abs().sum().item<float>() > 0, $"{op} is not differentiable");
        }
    }

    [Fact]
    public void AdaptiveProbabilityMovesTowardsTheTarget()
    {
        Assert.Equal(0.5 + 64 / 100_000.0, AdaptiveAugment.Update(0.5, 0.8, 0.6, 64, 100_000), 12);
        Assert.Equal(0.5 - 64 / 100_000.0, AdaptiveAugment.Update(0.5, 0.2, 0.6, 64, 100_000), 12);
        Assert.Equal(0, AdaptiveAugment.Update(0, -1, 0.6, 64, 100));
        Assert.Equal(1, AdaptiveAugment.Update(0.99, 1, 0.6, 64, 100));
    }

    private static TrainingOptions Stabilised(long steps)
    {
        var model = TinyRuns.Model("dcgan", 32, 3) with { SpectralNorm = true, DiscriminatorNormalization = Normalization.None };
        return (TrainingOptions.ForObjective("blobs", model, Objective.Hinge) with { Model = model, Threads = 2 })
            .WithOptimization(p => p with { BatchSize = 8, GeneratorLearningRate = 1e-4, DiscriminatorLearningRate = 4e-4, EmaHalfLifeImages = 500 })
            .WithSchedule(s => s with { Steps = steps, SampleEvery = 0, CheckpointEvery = 0, SampleCount = 4 })
            .WithGame(g => g with { R1Gamma = 1, R1Every = 4 })
            .WithAugmentation(a => a with { Mode = AugmentMode.Ada, AdaSpeedImages = 200 });
    }

    [Fact]
    public void TwentyStabilisedStepsStayFiniteAndLogTheAugmentationProbability()
    {
        using var temp = new TempFolder();
        var result = TinyRuns.Train(temp.Path, Stabilised(20));
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        var rows = MetricsLog.Read(new RunFolder(temp.Path).MetricsFile).Where(r => r["lossD"] is not null).ToList();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.True(double.IsFinite(r["lossD"]!.GetValue<double>()) && double.IsFinite(r["lossG"]!.GetValue<double>())));
        var p = rows.Select(r => r["augmentP"]!.GetValue<double>()).ToList();
        Assert.All(p, v => Assert.InRange(v, 0, 1));
        Assert.True(p.Distinct().Count() > 1, "the ADA probability never moved");
        for (int i = 1; i < p.Count; i++) Assert.Equal(8 / 200.0, Math.Abs(p[i] - p[i - 1]), 6);
        Assert.Equal(p[^1], CheckpointStore.ReadManifest(result.Checkpoint!).AugmentProbability, 6);
    }

    [Fact]
    public void ResumeIsExactWithSpectralNormR1AndAda()
    {
        using var temp = new TempFolder();
        var straight = Path.Combine(temp.Path, "straight");
        var split = Path.Combine(temp.Path, "split");
        TinyRuns.Train(straight, Stabilised(8));
        TinyRuns.Train(split, Stabilised(4));
        TinyRuns.Train(split, Stabilised(8));
        var a = CheckpointStore.ReadManifest(new RunFolder(straight).Checkpoints.PathFor(8));
        var b = CheckpointStore.ReadManifest(new RunFolder(split).Checkpoints.PathFor(8));
        Assert.Equal(a.Files, b.Files);
        Assert.Equal(a.AugmentProbability, b.AugmentProbability);
    }

    [Theory]
    [InlineData("spectral-clip", "--spectral-norm: spectral normalisation already bounds the critic")]
    [InlineData("ops", "--augment-ops: unknown 'blur'")]
    [InlineData("glr", "--g-lr: 2 must be in (0, 1)")]
    public void RefusedSettingsNameTheirFlag(string what, string message)
    {
        var o = TinyRuns.Options(TinyRuns.Model(), 10);
        o = what switch
        {
            "spectral-clip" => o.WithGame(g => g with { WeightClip = 0.01 }) with { Model = o.Model with { SpectralNorm = true } },
            "ops" => o.WithAugmentation(a => a with { Operations = "color,blur" }),
            _ => o.WithOptimization(p => p with { GeneratorLearningRate = 2 }),
        };
        Assert.Contains(message, Assert.Throws<OptionException>(o.Validate).Message);
    }
}

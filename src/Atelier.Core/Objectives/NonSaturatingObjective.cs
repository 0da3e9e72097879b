using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Goodfellow 2014's practical loss: D maximises log D(x) + log(1 − D(G(z))); G maximises log D(G(z)).
/// On logits l: −log σ(l) = softplus(−l) and −log(1 − σ(l)) = softplus(l), i.e. BCE-with-logits.
/// </summary>
public sealed class NonSaturatingObjective(double realTarget = 1.0) : IGanObjective
{
    public Objective Kind => Objective.NonSaturating;

    /// <summary>mean BCE(l_real, t) + mean BCE(l_fake, 0), where t is 1 or a smoothed target.</summary>
    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits)
    {
        var real = realTarget == 1.0
            ? nn.functional.softplus(realLogits.neg()).mean()
            : nn.functional.binary_cross_entropy_with_logits(realLogits, full_like(realLogits, realTarget));
        return real + nn.functional.softplus(fakeLogits).mean();
    }

    /// <summary>mean −log σ(l_fake).</summary>
    public Tensor GeneratorLoss(Tensor fakeLogits) => nn.functional.softplus(fakeLogits.neg()).mean();

    /// <summary>The cross-entropy games: σ(l) is D's probability of "real"; it is sure of both sides.</summary>
    public bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits) =>
        sigmoid(realLogits).mean().item<float>() > 0.99 && sigmoid(fakeLogits).mean().item<float>() < 0.01;

    public string WinCondition => "D(x) > 0.99, D(G(z)) < 0.01";
}

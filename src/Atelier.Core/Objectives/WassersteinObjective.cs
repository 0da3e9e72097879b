using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Arjovsky et al. 2017 (WGAN): the critic f maximises E[f(x)] − E[f(G(z))], an estimate of the Wasserstein-1
/// distance when f is 1-Lipschitz; G minimises −E[f(G(z))]. Lipschitz continuity comes from weight clipping
/// (WGAN, c = 0.01) or a gradient penalty (WGAN-GP) applied by the trainer.
/// </summary>
public sealed class WassersteinObjective(Objective kind = Objective.Wgan) : IGanObjective
{
    public Objective Kind { get; } = kind is Objective.Wgan or Objective.WganGp ? kind : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Wasserstein game");

    /// <summary>E[f(G(z))] − E[f(x)].</summary>
    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) => fakeLogits.mean() - realLogits.mean();

    /// <summary>−E[f(G(z))].</summary>
    public Tensor GeneratorLoss(Tensor fakeLogits) => fakeLogits.mean().neg();

    /// <summary>
    /// The critic separates the batches completely, and by a wide margin: the lowest real score exceeds the highest
    /// generated one by more than the spread (max − min) of the real scores. Plain separation is normal early in WGAN
    /// training; a gap wider than the real scores' own spread is not.
    /// </summary>
    public bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits)
    {
        float realMin = realLogits.min().item<float>(), realMax = realLogits.max().item<float>(), fakeMax = fakeLogits.max().item<float>();
        return realMin - fakeMax > realMax - realMin;
    }

    public string WinCondition => "min f(x) - max f(G(z)) > max f(x) - min f(x): the critic separates the batches by more than the real scores' spread";
}

using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// The hinge loss of Lim &amp; Ye 2017 and Miyato et al. 2018: D minimises E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))];
/// G minimises −E[D(G(z))].
/// </summary>
public sealed class HingeObjective : IGanObjective
{
    public Objective Kind => Objective.Hinge;

    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        (1 - realLogits).relu().mean() + (1 + fakeLogits).relu().mean();

    public Tensor GeneratorLoss(Tensor fakeLogits) => fakeLogits.mean().neg();

    /// <summary>Every real logit is at least 1 and every generated one at most −1: D's hinge loss is exactly 0, it learns nothing more.</summary>
    public bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits) =>
        realLogits.min().item<float>() >= 1 && fakeLogits.max().item<float>() <= -1;

    public string WinCondition => "every D(x) >= 1 and every D(G(z)) <= -1: the hinge loss is 0";
}

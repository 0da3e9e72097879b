using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// The hinge loss of Lim &amp; Ye 2017 and Miyato et al. 2018: D minimises E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))];
/// G minimises −E[D(G(z))].
/// </summary>
public sealed class HingeObjective : IGanObjective
{
    public string Name => "hinge";

    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        (1 - realLogits).relu().mean() + (1 + fakeLogits).relu().mean();

    public Tensor GeneratorLoss(Tensor fakeLogits) => fakeLogits.mean().neg();
}

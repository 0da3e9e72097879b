using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Mao et al. 2017 (LSGAN, a = 0, b = c = 1): D minimises ½E[(D(x) − 1)²] + ½E[D(G(z))²]; G minimises ½E[(D(G(z)) − 1)²].
/// </summary>
public sealed class LeastSquaresObjective : IGanObjective
{
    public string Name => "least-squares";

    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        0.5 * (realLogits - 1).square().mean() + 0.5 * fakeLogits.square().mean();

    public Tensor GeneratorLoss(Tensor fakeLogits) => 0.5 * (fakeLogits - 1).square().mean();
}

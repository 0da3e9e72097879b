using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Mao et al. 2017 (LSGAN, a = 0, b = c = 1): D minimises ½E[(D(x) − 1)²] + ½E[D(G(z))²]; G minimises ½E[(D(G(z)) − 1)²].
/// </summary>
public sealed class LeastSquaresObjective : IGanObjective
{
    public Objective Kind => Objective.LeastSquares;

    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        0.5 * (realLogits - 1).square().mean() + 0.5 * fakeLogits.square().mean();

    public Tensor GeneratorLoss(Tensor fakeLogits) => 0.5 * (fakeLogits - 1).square().mean();

    /// <summary>D hits both targets: mean squared error below 0.01 on the real side (target 1) and on the generated side (target 0).</summary>
    public bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits) =>
        (realLogits - 1).square().mean().item<float>() < 0.01 && fakeLogits.square().mean().item<float>() < 0.01;

    public string WinCondition => "mean (D(x) - 1)^2 < 0.01 and mean D(G(z))^2 < 0.01";
}

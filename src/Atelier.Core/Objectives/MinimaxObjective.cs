using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// Goodfellow 2014's original game: D maximises log D(x) + log(1 − D(G(z))) and G minimises
/// log(1 − D(G(z))) — the saturating generator loss, whose gradient vanishes when D rejects fakes confidently.
/// On logits: log(1 − σ(l)) = −softplus(l).
/// </summary>
public sealed class MinimaxObjective(double realTarget = 1.0) : IGanObjective
{
    private readonly NonSaturatingObjective _discriminator = new(realTarget);

    public Objective Kind => Objective.Minimax;

    public Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) => _discriminator.DiscriminatorLoss(realLogits, fakeLogits);

    /// <summary>mean log(1 − σ(l_fake)) = −mean softplus(l_fake).</summary>
    public Tensor GeneratorLoss(Tensor fakeLogits) => Softplus.Of(fakeLogits).mean().neg();

    /// <summary>The cross-entropy games: σ(l) is D's probability of "real"; it is sure of both sides.</summary>
    public bool DiscriminatorWins(Tensor realLogits, Tensor fakeLogits) =>
        sigmoid(realLogits).mean().item<float>() > 0.99 && sigmoid(fakeLogits).mean().item<float>() < 0.01;

    public string WinCondition => "D(x) > 0.99, D(G(z)) < 0.01";
}

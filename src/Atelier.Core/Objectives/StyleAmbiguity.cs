using static TorchSharp.torch;

namespace Atelier.Objectives;

/// <summary>
/// The Creative Adversarial Network's style-ambiguity loss (Elgammal 2017): the cross-entropy between the
/// discriminator's class posterior for generated images and the uniform distribution, −(1/K) Σ_k log p_k, averaged
/// over the batch. It is smallest (log K) when the images fit no known class better than another.
/// </summary>
public static class StyleAmbiguity
{
    /// <param name="classLogits">[B, K] class logits of generated images.</param>
    public static Tensor Compute(Tensor classLogits) => -nn.functional.log_softmax(classLogits, 1).mean([1]).mean();
}

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Models;

/// <summary>
/// Spectral normalisation (Miyato 2018): a layer's weight is divided by its largest singular value σ, estimated by
/// one step of power iteration per training forward pass on a persistent vector u (saved with the model, so resume
/// is exact). The discriminator becomes roughly 1-Lipschitz layer by layer, which steadies training without
/// batch statistics.
/// </summary>
public static class SpectralNormalization
{
    /// <summary>W / σ(W) for W viewed as [out, in·k·k]; updates <paramref name="u"/> when <paramref name="update"/>.</summary>
    public static Tensor Normalize(Tensor weight, Tensor u, bool update, int iterations = 1)
    {
        var matrix = weight.view(weight.shape[0], -1);
        Tensor v;
        using (no_grad())
        {
            v = F.normalize(matrix.t().mv(u), dim: 0, eps: 1e-12);
            if (update)
            {
                for (int i = 0; i < iterations; i++)
                {
                    u.copy_(F.normalize(matrix.mv(v), dim: 0, eps: 1e-12));
                    v = F.normalize(matrix.t().mv(u), dim: 0, eps: 1e-12);
                }
            }
        }
        // Gradient flows through the weight, as in Miyato 2018; u is cloned because later forward passes update it
        // in place while this one's backward still needs it.
        var sigma = u.clone().dot(matrix.mv(v));
        return weight / sigma;
    }

    /// <summary>The power-iteration start: all ones, normalised (deterministic; never orthogonal to a positive matrix's top vector).</summary>
    internal static Tensor InitialU(long rows) => ones(rows) / Math.Sqrt(rows);
}


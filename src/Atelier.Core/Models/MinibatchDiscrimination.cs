using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// Salimans et al. 2016, §3.2: features f(xᵢ) ∈ ℝᴬ are multiplied by a tensor T ∈ ℝ^{A×B×C} into Mᵢ ∈ ℝ^{B×C};
/// c_b(xᵢ, xⱼ) = exp(−‖M_{i,b} − M_{j,b}‖_{L1}) and o(xᵢ)_b = Σⱼ c_b(xᵢ, xⱼ). The output [f, o] lets the
/// discriminator see whether a batch lacks variety, which counters mode collapse.
/// </summary>
public sealed class MinibatchDiscrimination : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly long _kernels;
    private readonly long _kernelSize;

    public MinibatchDiscrimination(long features, long kernels, long kernelSize) : base(nameof(MinibatchDiscrimination))
    {
        _kernels = kernels;
        _kernelSize = kernelSize;
        weight = new Parameter(randn(features, kernels * kernelSize) * 0.02);
        RegisterComponents();
    }

    /// <param name="features">[N, A]</param>
    /// <returns>[N, A + B]</returns>
    public override Tensor forward(Tensor features)
    {
        var m = features.matmul(weight).view(-1, _kernels, _kernelSize); // [N, B, C]
        var distances = (m.unsqueeze(0) - m.unsqueeze(1)).abs().sum(3); // [N, N, B]: L1 over C
        var o = distances.neg().exp().sum(1); // [N, B]: Σⱼ c_b(xᵢ, xⱼ), self term included as in the paper
        return cat([features, o], 1);
    }

    /// <summary>The tensor T for tests: [A, B·C].</summary>
    internal Parameter T => weight;
}

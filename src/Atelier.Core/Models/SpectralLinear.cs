using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Models;

/// <summary>A dense layer whose weight is spectrally normalised.</summary>
public sealed class SpectralLinear : SpectralLayer
{
    public SpectralLinear(long input, long output, bool bias)
        : base(nameof(SpectralLinear), nn.init.kaiming_uniform_(empty(output, input), a: Math.Sqrt(5)), bias ? zeros(output) : null)
    {
    }

    public override Tensor forward(Tensor x) => F.linear(x, NormalizedWeight, Bias);
}

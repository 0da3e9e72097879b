using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Models;

/// <summary>A convolution whose weight is spectrally normalised.</summary>
public sealed class SpectralConv2d : SpectralLayer
{
    private readonly long _stride, _padding;

    public SpectralConv2d(long input, long output, long kernel, long stride, long padding, bool bias)
        : base(nameof(SpectralConv2d), nn.init.kaiming_uniform_(empty(output, input, kernel, kernel), a: Math.Sqrt(5)), bias ? zeros(output) : null) =>
        (_stride, _padding) = (stride, padding);

    internal long Stride => _stride;

    internal long Padding => _padding;

    public override Tensor forward(Tensor x) => F.conv2d(x, NormalizedWeight, Bias, strides: [_stride, _stride], padding: [_padding, _padding]);
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Models;

/// <summary>
/// Salimans et al. 2016, §3.4: each example is normalised with statistics of a reference batch fixed at the start
/// of training together with the example itself, so an output never depends on the other examples of its batch.
/// Input rows 0..R−1 are the reference batch (normalised with its own statistics); for example i,
/// μᵢ = (R·μ_ref + mean(xᵢ)) / (R + 1) and σ²ᵢ = (R·E_ref[x²] + mean(xᵢ²)) / (R + 1) − μᵢ², per channel.
/// </summary>
public sealed class VirtualBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int _referenceSize;
    private readonly double _epsilon;

    public VirtualBatchNorm2d(long channels, int referenceSize, double epsilon = 1e-5) : base(nameof(VirtualBatchNorm2d))
    {
        _referenceSize = referenceSize;
        _epsilon = epsilon;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    /// <param name="input">[R + N, C, H, W], the reference batch first.</param>
    public override Tensor forward(Tensor input)
    {
        var reference = input.narrow(0, 0, _referenceSize);
        var rest = input.narrow(0, _referenceSize, input.shape[0] - _referenceSize);
        var refMean = reference.mean([0, 2, 3], keepdim: true); // [1, C, 1, 1]
        var refSquare = reference.square().mean([0, 2, 3], keepdim: true);
        double r = _referenceSize;
        var mean = (refMean * r + rest.mean([2, 3], keepdim: true)) / (r + 1); // [N, C, 1, 1]
        var square = (refSquare * r + rest.square().mean([2, 3], keepdim: true)) / (r + 1);
        var refNormed = (reference - refMean) / (refSquare - refMean.square() + _epsilon).sqrt();
        var restNormed = (rest - mean) / (square - mean.square() + _epsilon).sqrt();
        var scale = weight.view(1, -1, 1, 1);
        var shift = bias.view(1, -1, 1, 1);
        return cat([refNormed, restNormed], 0) * scale + shift;
    }
}

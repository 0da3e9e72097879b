using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Fastgan;

/// <summary>
/// FastGAN's skip-layer excitation: a small map (pooled to 4×4, a spectrally normalised 4×4 convolution, Swish, a 1×1
/// convolution, sigmoid) gives one gate per channel of a map 16 times larger.
/// </summary>
public sealed class FastganExcitation : Module<Tensor, Tensor>
{
    private readonly SpectralConv2d squeeze, expand;

    public FastganExcitation(int small, int big) : base(nameof(FastganExcitation))
    {
        squeeze = new SpectralConv2d(small, big, 4, 1, 0, bias: false);
        expand = new SpectralConv2d(big, big, 1, 1, 0, bias: false);
        RegisterComponents();
    }

    /// <summary>[B, C, 1, 1] gates in 0..1 from the small map.</summary>
    public override Tensor forward(Tensor small)
    {
        using var scope = NewDisposeScope();
        var x = functional.adaptive_avg_pool2d(small, [4, 4]);
        return sigmoid(expand.forward(functional.silu(squeeze.forward(x)))).MoveToOuterDisposeScope();
    }

    /// <summary>The gates of a small map of side <paramref name="side"/> in an ONNX graph.</summary>
    internal string EmitOnnx(Export.OnnxGraphBuilder graph, string small, int side, string hint)
    {
        var x = side == 4 ? small : graph.AveragePool(small, side / 4, hint + "_pool");
        x = graph.Convolution(x, squeeze.EvalWeight(), squeeze.BiasValue, transposed: false, [1, 1], [0, 0], [0, 0], [1, 1], 1, null, hint + "_squeeze");
        x = graph.Convolution(graph.Silu(x, hint + "_silu"), expand.EvalWeight(), expand.BiasValue, transposed: false, [1, 1], [0, 0], [0, 0], [1, 1], 1, null, hint + "_expand");
        return graph.Sigmoid(x, hint + "_gate");
    }

    /// <summary>The big map, gated by the small one.</summary>
    public Tensor Gate(Tensor small, Tensor big) => big * forward(small);
}

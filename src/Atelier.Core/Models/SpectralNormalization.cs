using TorchSharp;
using TorchSharp.Modules;
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

/// <summary>A layer that owns a weight (normalised on use), an optional bias and the power-iteration vector u.</summary>
public abstract class SpectralLayer : nn.Module<Tensor, Tensor>
{
    protected SpectralLayer(string name, Tensor initialWeight, Tensor? initialBias) : base(name)
    {
        Weight = new Parameter(initialWeight.detach().clone());
        register_parameter("weight", Weight);
        if (initialBias is not null)
        {
            Bias = new Parameter(initialBias.detach().clone());
            register_parameter("bias", Bias);
        }
        U = SpectralNormalization.InitialU(initialWeight.shape[0]);
        register_buffer("u", U);
    }

    protected Parameter Weight { get; }

    protected Parameter? Bias { get; }

    protected Tensor U { get; }

    /// <summary>The weight divided by its spectral norm (u advances one step in training mode).</summary>
    protected Tensor NormalizedWeight => SpectralNormalization.Normalize(Weight, U, training);
}

/// <summary>A convolution whose weight is spectrally normalised.</summary>
public sealed class SpectralConv2d : SpectralLayer
{
    private readonly long _stride, _padding;

    public SpectralConv2d(long input, long output, long kernel, long stride, long padding, bool bias)
        : base(nameof(SpectralConv2d), nn.init.kaiming_uniform_(empty(output, input, kernel, kernel), a: Math.Sqrt(5)), bias ? zeros(output) : null) =>
        (_stride, _padding) = (stride, padding);

    public override Tensor forward(Tensor x) => F.conv2d(x, NormalizedWeight, Bias, strides: [_stride, _stride], padding: [_padding, _padding]);
}

/// <summary>A dense layer whose weight is spectrally normalised.</summary>
public sealed class SpectralLinear : SpectralLayer
{
    public SpectralLinear(long input, long output, bool bias)
        : base(nameof(SpectralLinear), nn.init.kaiming_uniform_(empty(output, input), a: Math.Sqrt(5)), bias ? zeros(output) : null)
    {
    }

    public override Tensor forward(Tensor x) => F.linear(x, NormalizedWeight, Bias);
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Models;

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

    /// <summary>The weight an eval-mode forward pass uses (u does not advance), for export.</summary>
    internal Tensor EvalWeight()
    {
        using var noGrad = no_grad();
        return SpectralNormalization.Normalize(Weight, U, update: false);
    }

    internal Tensor? BiasValue => Bias;
}

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Autoencoders;

/// <summary>
/// DCGAN's generator as a decoder, behind a diagonal Gaussian over codes: forward(z) decodes mean + std ⊙ z, so a
/// standard-normal z (a seed) is a sample. For a VAE the Gaussian is its prior N(0, I) and stays so; for a plain
/// autoencoder it follows the codes of the training images (a running mean and standard deviation, updated each step),
/// the only honest prior such a model has. <see cref="Decode"/> takes a code as the encoder gives it.
/// </summary>
public sealed class AutoencoderDecoder : Module<Tensor, Tensor>, IConditionalGenerator, Export.IOnnxExportable
{
    /// <summary>Weight of a new batch in the fitted prior's running statistics.</summary>
    public const double PriorMomentum = 0.01;

    private readonly DcganGenerator decoder;
    private readonly Tensor prior_mean;
    private readonly Tensor prior_std;

    public AutoencoderDecoder(ModelOptions options, bool variational) : base(nameof(AutoencoderDecoder))
    {
        Variational = variational;
        decoder = new DcganGenerator(options);
        prior_mean = zeros(options.LatentSize);
        prior_std = ones(options.LatentSize);
        RegisterComponents();
    }

    public bool Variational { get; }

    public int Classes => 0;

    public int LatentSize => decoder.LatentSize;

    /// <summary>The Gaussian a seed's z is mapped through: ([L] mean, [L] standard deviation).</summary>
    public (Tensor Mean, Tensor Std) Prior => (prior_mean, prior_std);

    /// <param name="latents">[B, L] standard-normal latents</param>
    /// <returns>[B, C, R, R] in [-1, 1]</returns>
    public override Tensor forward(Tensor latents) => decoder.forward(prior_mean + prior_std * latents);

    /// <summary>The decoder on prior-shaped latents (mean + std · z), as <see cref="forward"/> draws pictures.</summary>
    public string EmitOnnx(Export.OnnxGraphBuilder graph, string latents, string? classes)
    {
        var shaped = graph.Node("Add", [graph.Mul(latents, graph.Constant(prior_std, "prior_std"), "prior_scaled"), graph.Constant(prior_mean, "prior_mean")], "prior_shaped");
        return decoder.EmitOnnx(graph, shaped, classes);
    }

    /// <summary>Decodes codes as the encoder gives them (a VAE's means or samples): [B, L] → [B, C, R, R].</summary>
    public Tensor Decode(Tensor codes) => decoder.forward(codes);

    /// <summary>The standard-normal latent whose forward is <see cref="Decode"/> of these codes: (codes − mean) / std.</summary>
    public Tensor Standardize(Tensor codes) => (codes - prior_mean) / prior_std;

    /// <summary>Moves a plain autoencoder's prior towards a batch of codes ([B, L], B ≥ 2); a VAE's stays N(0, I).</summary>
    public void UpdatePrior(Tensor codes)
    {
        if (Variational) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        prior_mean.lerp_(codes.mean([0]), PriorMomentum);
        prior_std.lerp_(codes.std(0).clamp_min(1e-4), PriorMomentum);
    }
}

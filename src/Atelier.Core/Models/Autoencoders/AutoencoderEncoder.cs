using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Autoencoders;

/// <summary>
/// DCGAN's discriminator convolutions (strided, batch norm, LeakyReLU 0.2) and one dense layer to the code:
/// [B, C, R, R] → [B, L], or [B, 2L] for a VAE (the posterior's means, then its log-variances).
/// </summary>
public sealed class AutoencoderEncoder : Module<Tensor, Tensor>
{
    private readonly Sequential body;
    private readonly Linear code;

    public AutoencoderEncoder(ModelOptions options, bool variational) : base(nameof(AutoencoderEncoder))
    {
        LatentSize = options.LatentSize;
        Variational = variational;
        (body, long features) = DcganDiscriminator.Body(options);
        code = Linear(features, variational ? 2L * LatentSize : LatentSize);
        RegisterComponents();
    }

    public int LatentSize { get; }

    public bool Variational { get; }

    /// <param name="images">[B, C, R, R] in [-1, 1]</param>
    /// <returns>[B, L] codes, or [B, 2L] means and log-variances</returns>
    public override Tensor forward(Tensor images) => code.forward(body.forward(images).flatten(1));
}

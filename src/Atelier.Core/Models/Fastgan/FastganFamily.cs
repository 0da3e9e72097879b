using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Models.Fastgan;

/// <summary>
/// fastgan: Liu 2021's light generator for small collections (<see cref="FastganGenerator"/>), with DCGAN's
/// discriminator on the pixels, or with --discriminator projected (Sauer 2021 pairs the two).
/// </summary>
public sealed class FastganFamily : IModelFamily
{
    public string Name => "fastgan";

    public string Description => "FastGAN-lite generator (Liu 2021: skip-layer excitation, GLU), 64, 128 or 256 pixels";

    public IReadOnlyList<int> Resolutions { get; } = [64, 128, 256];

    public void Validate(ModelOptions options)
    {
        if (options.Classes > 0) throw new OptionException("--conditional: the fastgan generator has no label input yet; use --model dcgan.");
        if (options.VirtualBatchNorm) throw new OptionException("--virtual-batchnorm: the fastgan generator uses batch norm in its own blocks; use --model dcgan.");
        if (options.Resolution == 256 && options.Discriminator is DiscriminatorKind.Pixel or DiscriminatorKind.Ensemble)
            throw new OptionException("--resolution 256: DCGAN's pixel discriminator stops at 128; use --discriminator projected or self-supervised.");
    }

    public nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options) => new FastganGenerator(options);

    public nn.Module<Tensor, Tensor> CreateDiscriminator(ModelOptions options) => new DcganDiscriminator(options);
}

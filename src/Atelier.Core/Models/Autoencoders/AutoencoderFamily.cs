using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Models.Autoencoders;

/// <summary>
/// A convolutional autoencoder (--model autoencoder) or variational autoencoder (--model vae, Kingma and Welling 2014):
/// DCGAN's discriminator convolutions down to a code, DCGAN's generator up from it. The decoder is the run's generator,
/// so `generate` draws from the VAE's prior N(0, I), or for the plain autoencoder from a diagonal Gaussian fitted to
/// the codes of its training images (<see cref="AutoencoderDecoder"/>).
/// </summary>
public sealed class AutoencoderFamily(bool variational) : IAutoencoderFamily
{
    public string Name => Variational ? "vae" : "autoencoder";

    public string Description => Variational
        ? "variational autoencoder (Kingma 2014; DCGAN encoder and decoder), 28, 32, 64 or 128 pixels"
        : "convolutional autoencoder (DCGAN encoder and decoder; --denoise for a denoising one), 28, 32, 64 or 128 pixels";

    public bool Variational { get; } = variational;

    public IReadOnlyList<int> Resolutions { get; } = [28, 32, 64, 128];

    public void Validate(ModelOptions options)
    {
        string flag = $"--model {Name}";
        if (options.Classes > 0) throw new OptionException($"{flag}: --conditional is a GAN option; an autoencoder has no class input.");
        if (options.ClassHead > 0) throw new OptionException($"{flag}: --can needs a discriminator; an autoencoder has none.");
        if (options.MinibatchKernels > 0) throw new OptionException($"{flag}: --minibatch-discrimination needs a discriminator; an autoencoder has none.");
        if (options.SpectralNorm) throw new OptionException($"{flag}: --spectral-norm bounds a discriminator; an autoencoder has none.");
        if (options.VirtualBatchNorm) throw new OptionException($"{flag}: --virtual-batchnorm is not built for autoencoders.");
        if (options.Discriminator != DiscriminatorKind.Pixel) throw new OptionException($"{flag}: --discriminator does not apply; an autoencoder has an encoder instead.");
    }

    public nn.Module<Tensor, Tensor> CreateGenerator(ModelOptions options) => new AutoencoderDecoder(options, Variational);

    public nn.Module<Tensor, Tensor> CreateEncoder(ModelOptions options) => new AutoencoderEncoder(options, Variational);
}

using static TorchSharp.torch;

namespace Atelier.Models.Autoencoders;

/// <summary>
/// A family whose generator is a decoder trained with an encoder, not against a discriminator (--model autoencoder,
/// vae). The encoder takes the discriminator's place in a run's networks and checkpoints (part "encoder"); the trainer
/// runs <see cref="Training.AutoencoderStep"/> instead of the GAN game. Generation, resume and the run folder are the GANs'.
/// </summary>
public interface IAutoencoderFamily : IModelFamily
{
    /// <summary>True for a variational autoencoder (Kingma 2014): the encoder gives a mean and a log-variance per latent.</summary>
    bool Variational { get; }

    /// <summary>The encoder: [B, C, R, R] → [B, L] codes, or [B, 2L] (means, then log-variances) when variational.</summary>
    nn.Module<Tensor, Tensor> CreateEncoder(ModelOptions options);

    nn.Module<Tensor, Tensor> IModelFamily.CreateDiscriminator(ModelOptions options) => CreateEncoder(options);
}

using Atelier.Models;
using Atelier.Models.Autoencoders;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Sampling;

/// <summary>
/// An autoencoder run's checkpoint loaded as a pair: its encoder and its decoder (the run's generator, so every seed,
/// latent file and grid that works for a GAN works for it too). Images go in and out as [B, C, R, R] in [-1, 1].
/// </summary>
public sealed class TrainedAutoencoder : IDisposable
{
    private TrainedAutoencoder(TrainedGenerator generator, nn.Module<Tensor, Tensor> encoder, IAutoencoderFamily family)
    {
        Generator = generator;
        Encoder = encoder;
        Family = family;
    }

    /// <summary>The decoder as a generator: seeds, latent files, grids.</summary>
    public TrainedGenerator Generator { get; }

    public nn.Module<Tensor, Tensor> Encoder { get; }

    public IAutoencoderFamily Family { get; }

    public ModelOptions Model => Generator.Model;

    private AutoencoderDecoder Decoder => (AutoencoderDecoder)Generator.Network;

    /// <summary>Loads a checkpoint of an autoencoder run; a GAN's is refused naming <paramref name="flag"/>.</summary>
    public static TrainedAutoencoder Load(string checkpoint, Device? device = null, string flag = "--run")
    {
        // The family only; TrainedGenerator.Load below verifies every file of the checkpoint, the encoder's included.
        var manifest = CheckpointStore.ReadManifest(checkpoint, verifyFiles: false);
        if (manifest.Model.Family is not IAutoencoderFamily family)
            throw new OptionException($"{flag}: '{checkpoint}' is a {manifest.Model.Architecture} run, which has no encoder; train one with --model autoencoder or vae (for a GAN, `atelier project` finds latents instead).");
        var generator = TrainedGenerator.Load(checkpoint, useAverage: true, device);
        try
        {
            var encoder = family.CreateEncoder(manifest.Model);
            using (var scope = NewDisposeScope()) GanNetworks.LoadPart(encoder, checkpoint, CheckpointFiles.Encoder);
            if (generator.Device.type != DeviceType.CPU) encoder.to(generator.Device);
            encoder.eval();
            return new TrainedAutoencoder(generator, encoder, family);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <summary>[B, L] standard-normal latents of images (a VAE's posterior means): the decoder's forward of them is the reconstruction.</summary>
    public Tensor Encode(Tensor images)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var codes = Encoder.forward(images.to(Generator.Device));
        if (Family.Variational) codes = AutoencoderStep.Posterior(codes).Mean;
        return Decoder.Standardize(codes).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>[B, L] latents → [B, C, R, R] images on the CPU.</summary>
    public Tensor Decode(Tensor latents)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Generator.Network.forward(latents.to(Generator.Device)).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>The images as the model rebuilds them: decode(encode(x)).</summary>
    public Tensor Reconstruct(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Decode(Encode(images)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Generator.Dispose();
    }
}

using Atelier.Data;
using Atelier.Models.Autoencoders;
using Atelier.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// One step of an autoencoder (--model autoencoder, vae): encode the batch (with Gaussian noise added when denoising,
/// Vincent 2008), decode, and take one Adam step of both networks on
/// loss = Σ (x̂ − x)² / B  [+ β · KL(q(z|x) ‖ N(0, I)) for a VAE, Kingma 2014, with z = μ + σ ⊙ ε].
/// The squared error over pixels in [-1, 1] is a Gaussian decoder's negative log-likelihood with variance ½, so β = 1 is
/// the evidence lower bound. On letterboxed data only the picture counts. There is no moving average: the decoder and
/// the encoder are used as a pair, so the averaged generator is the decoder's exact copy after each step. Noise comes
/// from the run's streams by step ("denoise", "posterior"), so a resumed run continues exactly.
/// </summary>
public sealed class AutoencoderStep : ITrainingStep
{
    public const string NoiseStream = "denoise";
    public const string PosteriorStream = "posterior";

    private readonly TrainingOptions _options;
    private readonly GanNetworks _n;
    private readonly AutoencoderDecoder _decoder;
    private readonly bool _variational;

    public AutoencoderStep(TrainingOptions options, GanNetworks networks)
    {
        _options = options;
        _n = networks;
        _decoder = (AutoencoderDecoder)networks.Generator;
        _variational = _decoder.Variational;
    }

    public StepStats Run(Batch[] batches, long stepIndex)
    {
        using var scope = NewDisposeScope();
        var batch = batches[^1];
        _n.Train();
        var real = ToDevice(tensor(batch.Pixels, new long[] { batch.Size, batch.Channels, batch.Resolution, batch.Resolution }));
        var input = real;
        double sigma = _options.Game.InputNoise;
        if (sigma > 0)
        {
            var noise = Latents.ForStream(_options.Seed, NoiseStream, stepIndex, batch.Size, batch.Channels * batch.Resolution * batch.Resolution, _n.Device);
            input = (real + sigma * noise.view(real.shape)).clamp(-1, 1);
        }
        var codes = _n.Discriminator.forward(input);
        Tensor z, kl;
        if (_variational)
        {
            var (mean, logVariance) = Posterior(codes);
            var epsilon = Latents.ForStream(_options.Seed, PosteriorStream, stepIndex, batch.Size, _decoder.LatentSize, _n.Device);
            z = mean + (0.5 * logVariance).exp() * epsilon;
            kl = Kl(mean, logVariance);
        }
        else
        {
            z = codes;
            kl = zeros(1, device: _n.Device).sum();
            _decoder.UpdatePrior(codes.detach());
        }
        var reconstruction = _decoder.Decode(z);
        var squared = (reconstruction - real).square();
        if (batch.Mask is not null) squared = squared * ToDevice(tensor(batch.Mask, new long[] { batch.Size, 1, batch.Resolution, batch.Resolution }));
        var error = squared.sum() / batch.Size;
        var loss = _variational ? error + _options.Game.Beta * kl : error;
        _n.GeneratorOptimizer.ZeroGrad();
        _n.DiscriminatorOptimizer.ZeroGrad();
        loss.backward();
        _n.GeneratorOptimizer.StepUpdate();
        _n.DiscriminatorOptimizer.StepUpdate();
        ExponentialMovingAverage.CopyInto(_n.Generator, _n.Average);
        double pixels = (double)batch.Channels * batch.Resolution * batch.Resolution;
        return StepStats.ForAutoencoder(loss.item<float>(), error.item<float>() / pixels, kl.item<float>());
    }

    /// <summary>A VAE encoder's output split into means and log-variances (clamped to [−30, 20] so exp stays finite): [B, 2L] → 2 × [B, L].</summary>
    public static (Tensor Mean, Tensor LogVariance) Posterior(Tensor codes)
    {
        long latent = codes.shape[1] / 2;
        return (codes.narrow(1, 0, latent), codes.narrow(1, latent, latent).clamp(-30, 20));
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, I)) summed over latents, mean over the batch: −½ Σ (1 + log σ² − μ² − σ²) / B.</summary>
    public static Tensor Kl(Tensor mean, Tensor logVariance) =>
        -0.5 * (1 + logVariance - mean.square() - logVariance.exp()).sum() / mean.shape[0];

    private Tensor ToDevice(Tensor t) => _n.Device.type == DeviceType.CPU ? t : t.to(_n.Device);
}

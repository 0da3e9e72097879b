using Atelier.Imaging;
using Atelier.Models;

namespace Atelier.Training;

/// <summary>Everything that decides a training run; saved as options.json and in every checkpoint.</summary>
/// <param name="Data">Dataset name or folder (--data).</param>
/// <param name="Model">Architecture and sizes (--model, --resolution, --channels, ...).</param>
/// <param name="BatchSize">Images per discriminator step (Radford 2015: 128; 64 fits 2 cores better).</param>
/// <param name="Steps">Generator steps to train in total (--steps; --epochs converts to this).</param>
/// <param name="LearningRate">Adam step size for both networks (Radford 2015: 2e-4).</param>
/// <param name="Beta1">Adam β1 (Radford 2015: 0.5, lower than the usual 0.9, for stability).</param>
/// <param name="Beta2">Adam β2.</param>
/// <param name="DiscriminatorSteps">Discriminator updates per generator update (Goodfellow 2014's k; WGAN uses 5).</param>
/// <param name="Seed">Decides initial weights, batch order, flips and noise: same seed, same run.</param>
/// <param name="SampleEvery">Steps between sample grids of the fixed seeds 0..SampleCount-1.</param>
/// <param name="CheckpointEvery">Steps between checkpoints (one is also written at the end).</param>
/// <param name="KeepCheckpoints">How many recent checkpoints to keep (any marked best is kept too).</param>
/// <param name="EmaHalfLifeImages">Half-life of the generator weight average, in images (StyleGAN2-ADA: 10k).</param>
/// <param name="EmaRampUp">The half-life is at most this fraction of the images seen, so early averages follow quickly.</param>
/// <param name="Flip">Random horizontal flips of real images (off for digits and text).</param>
/// <param name="Threads">CPU threads for tensor work; 0 = libtorch's default (all cores).</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="SampleCount">Images in each sample grid.</param>
/// <param name="DivergenceWindow">Steps the discriminator may win outright (D(x) &gt; 0.99, D(G(z)) &lt; 0.01) before a rollback.</param>
/// <param name="MaxRollbacks">Rollbacks allowed before training stops.</param>
/// <param name="DataRoot">--data-root for installed datasets.</param>
/// <param name="Fit">How non-square folder images become square.</param>
public sealed record TrainingOptions(
    string Data,
    ModelOptions Model,
    int BatchSize = 64,
    long Steps = 2000,
    double LearningRate = 2e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    int DiscriminatorSteps = 1,
    long Seed = 0,
    int SampleEvery = 250,
    int CheckpointEvery = 1000,
    int KeepCheckpoints = 3,
    double EmaHalfLifeImages = 10_000,
    double EmaRampUp = 0.05,
    bool Flip = true,
    int Threads = 0,
    string Device = "cpu",
    int SampleCount = 64,
    int DivergenceWindow = 300,
    int MaxRollbacks = 3,
    string? DataRoot = null,
    ImageFit Fit = ImageFit.CenterCrop)
{
    public void Validate()
    {
        Model.Validate();
        if (BatchSize is < 1 or > 4096) throw new ArgumentException($"--batch-size: {BatchSize} is outside 1..4096.");
        if (Steps < 1) throw new ArgumentException($"--steps: {Steps} must be at least 1.");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new ArgumentException($"--lr: {LearningRate} must be in (0, 1).");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentException("--beta1/--beta2 must be in [0, 1).");
        if (DiscriminatorSteps is < 1 or > 100) throw new ArgumentException($"--d-steps: {DiscriminatorSteps} is outside 1..100.");
        if (Seed < 0) throw new ArgumentException($"--seed: {Seed} must be 0 or more.");
        if (SampleEvery < 0) throw new ArgumentException("--sample-every must be 0 (never) or more.");
        if (CheckpointEvery < 0) throw new ArgumentException("--checkpoint-every must be 0 (only at the end) or more.");
        if (KeepCheckpoints < 1) throw new ArgumentException("--keep-checkpoints must be at least 1.");
        if (SampleCount is < 1 or > 256) throw new ArgumentException($"--sample-count: {SampleCount} is outside 1..256.");
        if (Threads < 0) throw new ArgumentException("--threads must be 0 (all cores) or more.");
        if (DivergenceWindow < 1) throw new ArgumentException("--divergence-window must be at least 1.");
        if (EmaHalfLifeImages <= 0) throw new ArgumentException("--ema-half-life must be positive.");
    }
}

using Atelier.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// The named random streams of a run. Every draw is a pure function of (run seed, stream name, counter), so a
/// resumed run draws exactly what an uninterrupted one would, and no stream depends on how often another was used.
/// The counters are part of every recorded result (the golden tests pin them): change them only on purpose.
/// </summary>
public sealed class RandomStreams(long seed, Device device)
{
    /// <summary>Stream name of the initial weights (and of virtual batch norm's reference latents).</summary>
    public const string Initialization = "init";

    /// <summary>Stream name of the gradient penalty's interpolation weights.</summary>
    public const string Penalty = "penalty";

    public long Seed => seed;

    /// <summary>[B, latent] training noise of one pass ("latent" stream, counter = the pass's global number).</summary>
    public Tensor Latents(PassPosition pass, int batch, int latentSize) =>
        Sampling.Latents.ForStep(seed, pass.Global, batch, latentSize, device);

    /// <summary>Counter of the "augment" stream for one draw of one pass: four draws per pass.</summary>
    public static long AugmentCounter(PassPosition pass, AugmentDraw draw) => pass.Global * 4 + (int)draw;

    /// <summary>[B] uniform interpolation weights of the gradient penalty ("penalty" stream, counter = critic step).</summary>
    public Tensor PenaltyWeights(PassPosition pass, int batch)
    {
        using var generator = new Generator(SplitMix64.For(seed, Penalty, pass.CriticStep).NextUInt64() >> 1);
        var e = rand(new long[] { batch }, generator: generator);
        return device.type == DeviceType.CPU ? e : e.to(device);
    }

    /// <summary>Stream name of the self-supervised discriminator's choice of quadrant.</summary>
    public const string Part = "part";

    /// <summary>The quadrant (0..3) that a self-supervised discriminator rebuilds in one pass ("part" stream, counter = the pass's global number).</summary>
    public int ReconstructedPart(PassPosition pass) => (int)(SplitMix64.For(seed, Part, pass.Global).NextUInt64() % Models.IReconstructingDiscriminator.Parts);

    /// <summary>The torch generator that draws a new run's initial weights.</summary>
    public static Generator ForInitialization(long seed) => new(SplitMix64.For(seed, Initialization).NextUInt64() >> 1);
}

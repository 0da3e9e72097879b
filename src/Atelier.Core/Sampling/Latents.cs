using Atelier.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Sampling;

/// <summary>Seed → latent: z(seed) = N(0, I) drawn by a torch generator seeded with the seed, alone.</summary>
public static class Latents
{
    /// <summary>[LatentSize] for one seed.</summary>
    public static Tensor ForSeed(long seed, int latentSize, Device? device = null)
    {
        using var generator = new Generator((ulong)seed);
        var z = randn(new long[] { latentSize }, generator: generator);
        return device is null || device.type == DeviceType.CPU ? z : z.to(device);
    }

    /// <summary>[N, LatentSize], row i = z(seeds[i]).</summary>
    public static Tensor ForSeeds(IReadOnlyList<long> seeds, int latentSize, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var rows = seeds.Select(s => ForSeed(s, latentSize)).ToArray();
        var stacked = stack(rows);
        if (device is not null && device.type != DeviceType.CPU) stacked = stacked.to(device);
        return stacked.MoveToOuterDisposeScope();
    }

    /// <summary>[N, LatentSize] for training step noise: a pure function of (run seed, stream, counter).</summary>
    public static Tensor ForStep(long runSeed, long counter, int batchSize, int latentSize, Device? device = null) =>
        ForStream(runSeed, "latent", counter, batchSize, latentSize, device);

    /// <summary>[N, size] from N(0, I): a pure function of (seed, stream name, counter).</summary>
    public static Tensor ForStream(long runSeed, string stream, long counter, int batchSize, int latentSize, Device? device = null)
    {
        var seed = (long)(Atelier.Platform.SplitMix64.For(runSeed, stream, counter).NextUInt64() >> 1);
        using var generator = new Generator((ulong)seed);
        var z = randn(new long[] { batchSize, latentSize }, generator: generator);
        return device is null || device.type == DeviceType.CPU ? z : z.to(device);
    }

    /// <summary>[N, LatentSize + 1]: the latents with each row's class index appended, as conditional generators take them.</summary>
    public static Tensor WithLabels(Tensor latents, IReadOnlyList<long> labels)
    {
        var column = tensor(labels.Select(l => (float)l).ToArray(), new long[] { labels.Count, 1 });
        if (latents.device.type != DeviceType.CPU) column = column.to(latents.device);
        return cat([latents, column], 1);
    }

    /// <summary>Appends labels when <paramref name="generator"/> is conditional: <paramref name="label"/>, else seed mod classes.</summary>
    public static Tensor ForGenerator(nn.Module<Tensor, Tensor> generator, Tensor latents, IReadOnlyList<long> seeds, int? label = null)
    {
        if (generator is not Models.IConditionalGenerator { Classes: > 0 } conditional) return latents;
        if (label is int l && (l < 0 || l >= conditional.Classes)) throw new OptionException($"--class: {l} is outside 0..{conditional.Classes - 1}.");
        return WithLabels(latents, seeds.Select(s => label is int fixedLabel ? fixedLabel : (long)((ulong)s % (ulong)conditional.Classes)).ToList());
    }

    /// <summary>Spherical interpolation (Shoemake 1985) between two latents at t ∈ [0, 1].</summary>
    public static Tensor Slerp(Tensor a, Tensor b, double t)
    {
        using var scope = NewDisposeScope();
        var an = a / a.norm();
        var bn = b / b.norm();
        double dot = Math.Clamp((an * bn).sum().item<float>(), -1f, 1f);
        double omega = Math.Acos(dot);
        Tensor result;
        if (omega < 1e-6)
        {
            result = a * (1 - t) + b * t;
        }
        else
        {
            double so = Math.Sin(omega);
            result = a * (Math.Sin((1 - t) * omega) / so) + b * (Math.Sin(t * omega) / so);
        }
        return result.MoveToOuterDisposeScope();
    }
}

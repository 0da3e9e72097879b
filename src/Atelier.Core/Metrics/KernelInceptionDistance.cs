using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// KID (Bińkowski 2018): the unbiased estimate of MMD² with the cubic polynomial kernel k(x, y) = (xᵀy / d + 1)³,
/// averaged over random subsets; reported as mean ± standard deviation over the subsets. Unbiased means it is
/// near 0 (and can be slightly negative) when both sets come from one distribution.
/// </summary>
public static class KernelInceptionDistance
{
    public const int DefaultSubsets = 100;
    public const int DefaultSubsetSize = 1000;

    public static (double Mean, double Std) Compute(float[] real, float[] fake, int dimension, long seed,
        int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize)
    {
        int n = real.Length / dimension, m = fake.Length / dimension;
        int size = Math.Min(subsetSize, Math.Min(n, m));
        if (size < 2) throw new OptionException("KID needs at least 2 images on each side");
        using var scope = NewDisposeScope();
        var x = tensor(real, new long[] { n, dimension }).to(float64);
        var y = tensor(fake, new long[] { m, dimension }).to(float64);
        var values = new double[subsets];
        for (int s = 0; s < subsets; s++)
        {
            using var inner = NewDisposeScope();
            var xi = x.index_select(0, tensor(Sample(n, size, seed, 2 * s)));
            var yi = y.index_select(0, tensor(Sample(m, size, seed, 2 * s + 1)));
            values[s] = UnbiasedMmd2(xi, yi, dimension);
        }
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / values.Length);
        return (mean, std);
    }

    /// <summary>Unbiased MMD² of two equal-size samples with the cubic polynomial kernel.</summary>
    public static double UnbiasedMmd2(Tensor x, Tensor y, int dimension)
    {
        long size = x.shape[0];
        var kxx = (x.matmul(x.t()) / dimension + 1).pow(3);
        var kyy = (y.matmul(y.t()) / dimension + 1).pow(3);
        var kxy = (x.matmul(y.t()) / dimension + 1).pow(3);
        double sxx = (kxx.sum() - kxx.diagonal().sum()).item<double>() / (size * (size - 1));
        double syy = (kyy.sum() - kyy.diagonal().sum()).item<double>() / (size * (size - 1));
        double sxy = kxy.sum().item<double>() / (size * size);
        return sxx + syy - 2 * sxy;
    }

    /// <summary>size distinct indices below n, a function of (seed, stream) only.</summary>
    internal static long[] Sample(int n, int size, long seed, long stream)
    {
        var rng = SplitMix64.For(seed, "kid-subset", stream);
        return rng.Permutation(n).Take(size).Select(v => (long)v).ToArray();
    }
}

using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>Mean and covariance of a feature set, in float64 (what FID compares).</summary>
public sealed record FeatureStatistics(double[] Mean, double[] Covariance, int Count)
{
    public int Dimension => Mean.Length;

    /// <summary>Mean and unbiased covariance (divisor n − 1) of row-major features [n × d].</summary>
    public static FeatureStatistics Of(float[] features, int dimension)
    {
        int n = features.Length / dimension;
        if (n < 2) throw new ArgumentException($"need at least 2 feature vectors for a covariance, got {n}");
        using var scope = NewDisposeScope();
        var x = tensor(features, new long[] { n, dimension }).to(float64);
        var mean = x.mean(new long[] { 0 });
        var centred = x - mean;
        var cov = centred.t().matmul(centred) / (n - 1);
        return new FeatureStatistics(mean.data<double>().ToArray(), cov.data<double>().ToArray(), n);
    }
}

using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// The Fréchet distance between two Gaussians, ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½): FID when the Gaussians are
/// fitted to network features (Heusel 2017). Tr((Σ₁Σ₂)^½) is computed as the sum of square roots of the
/// eigenvalues of the symmetric Σ₁^½ Σ₂ Σ₁^½, in float64, with tiny negative eigenvalues from rounding clamped
/// to 0, so near-singular covariances (fewer samples than dimensions) stay finite and real.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(FeatureStatistics a, FeatureStatistics b)
    {
        if (a.Dimension != b.Dimension) throw new ArgumentException($"feature sizes differ: {a.Dimension} and {b.Dimension}");
        int d = a.Dimension;
        using var scope = NewDisposeScope();
        var mu1 = tensor(a.Mean);
        var mu2 = tensor(b.Mean);
        var s1 = tensor(a.Covariance, new long[] { d, d });
        var s2 = tensor(b.Covariance, new long[] { d, d });
        var root1 = SymmetricSqrt(s1);
        var inner = root1.matmul(s2).matmul(root1);
        inner = (inner + inner.t()) / 2;
        var eigen = linalg.eigvalsh(inner).clamp_min(0);
        double traceSqrt = eigen.sqrt().sum().item<double>();
        double meanTerm = (mu1 - mu2).square().sum().item<double>();
        double value = meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - 2 * traceSqrt;
        return Math.Max(0, value);
    }

    /// <summary>The symmetric positive semi-definite square root through an eigendecomposition.</summary>
    internal static Tensor SymmetricSqrt(Tensor matrix)
    {
        var symmetric = (matrix + matrix.t()) / 2;
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
    }
}

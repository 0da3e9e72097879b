using Atelier.Platform;
using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// Improved precision and recall (Kynkäänniemi 2019). Each set's manifold is the union of balls around its
/// feature vectors, each as wide as the distance to its k-th nearest neighbour in the same set. Precision: the
/// share of generated images inside the real manifold (fidelity). Recall: the share of real images inside the
/// generated manifold (diversity).
/// </summary>
public static class PrecisionRecall
{
    public const int DefaultK = 3;
    private const int Chunk = 1024;

    public static (double Precision, double Recall) Compute(float[] real, float[] fake, int dimension, int k = DefaultK)
    {
        using var scope = NewDisposeScope();
        var x = tensor(real, new long[] { real.Length / dimension, dimension });
        var y = tensor(fake, new long[] { fake.Length / dimension, dimension });
        var realRadii = KthNeighbourDistance(x, k);
        var fakeRadii = KthNeighbourDistance(y, k);
        return (Coverage(y, x, realRadii), Coverage(x, y, fakeRadii));
    }

    /// <summary>Distance from each row to its k-th nearest other row (itself excluded).</summary>
    internal static Tensor KthNeighbourDistance(Tensor points, int k)
    {
        long n = points.shape[0];
        if (n <= k) throw new OptionException($"precision/recall with k = {k} needs more than {k} images per side, got {n}");
        var result = empty(n, dtype: float32);
        for (long start = 0; start < n; start += Chunk)
        {
            using var inner = NewDisposeScope();
            long len = Math.Min(Chunk, n - start);
            var d = cdist(points.narrow(0, start, len), points);
            // k + 1 smallest: the smallest is the point itself (distance 0)
            var (values, _) = d.topk(k + 1, dim: 1, largest: false, sorted: true);
            result.narrow(0, start, len).copy_(values.select(1, k));
        }
        return result;
    }

    /// <summary>Share of queries within the radius of at least one manifold point.</summary>
    internal static double Coverage(Tensor queries, Tensor manifold, Tensor radii)
    {
        long n = queries.shape[0], inside = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            using var inner = NewDisposeScope();
            long len = Math.Min(Chunk, n - start);
            var d = cdist(queries.narrow(0, start, len), manifold);
            inside += (d <= radii.unsqueeze(0)).any(1).sum().item<long>();
        }
        return (double)inside / n;
    }
}

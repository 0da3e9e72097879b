using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// Does a generator copy its training images? For every generated image, the nearest training image in pixel space
/// (RMS difference of 0..1 pixels) and in feature space (Euclidean). The yardstick is how close real images come to
/// the training set: held-out real images (or, when the whole set is the reference, each training image's nearest
/// other training image). A generated image counts as a likely copy when it is closer to a training image than the
/// 1st percentile of those real-to-training distances, or is identical to one; the memorisation score is the share
/// of such images (about 1% for the held-out reals themselves, by construction).
/// </summary>
public static class CopyDetector
{
    public const double Percentile = 0.01;
    private const int Chunk = 512;

    public sealed record Space(string Name, double Threshold, double[] Nearest, int[] NearestIndex, bool[] Flagged)
    {
        public double Score => Flagged.Length == 0 ? 0 : (double)Flagged.Count(f => f) / Flagged.Length;
    }

    public sealed record Result(Space? Pixels, Space Features, string Baseline, double CosineMemorisationDistance);

    public static Result Run(ImageSample training, float[] trainingFeatures, ImageSample? heldOut, float[]? heldOutFeatures,
        ImageSample generated, float[] generatedFeatures, int dimension, Action<long, long>? progress = null)
    {
        using var scope = NewDisposeScope();
        bool samePixels = training.Channels == generated.Channels && training.Resolution == generated.Resolution;
        long realQueries = heldOut is null || heldOut.Count == 0 ? training.Count : heldOut.Count;
        long total = (samePixels ? 2 : 1) * (realQueries + generated.Count), done = 0;
        Action<long>? searched = progress is null ? null : rows => progress(done += rows, total);
        bool leaveOneOut = heldOut is null || heldOut.Count == 0;
        var baseline = leaveOneOut
            ? $"each of the {training.Count} training images' nearest other training image (no held-out images left)"
            : $"{heldOut!.Count} held-out real images ({heldOut.Description})";
        Space? pixels = null;
        if (samePixels)
        {
            var reference = PixelMatrix(training);
            var real = leaveOneOut ? reference : PixelMatrix(heldOut!);
            pixels = Compare("pixels", reference, real, leaveOneOut, PixelMatrix(generated), rms: training.ImageBytes, searched);
        }
        var featureReference = tensor(trainingFeatures, new long[] { training.Count, dimension });
        var featureReal = leaveOneOut ? featureReference : tensor(heldOutFeatures!, new long[] { heldOut!.Count, dimension });
        var featureFake = tensor(generatedFeatures, new long[] { generated.Count, dimension });
        var features = Compare("features", featureReference, featureReal, leaveOneOut, featureFake, rms: 0, searched);
        return new Result(pixels, features, baseline, CosineDistance(featureFake, featureReference));
    }

    /// <summary>
    /// MiFID's memorisation distance (Bai 2021, as in torchmetrics): the mean over generated images of the smallest
    /// cosine distance 1 − |cos| to any training image.
    /// </summary>
    public static double CosineDistance(Tensor fake, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = nn.functional.normalize(fake.to(float64), dim: 1);
        var b = nn.functional.normalize(reference.to(float64), dim: 1);
        double sum = 0;
        for (long start = 0; start < a.shape[0]; start += Chunk)
        {
            using var inner = NewDisposeScope();
            var rows = a.narrow(0, start, Math.Min(Chunk, a.shape[0] - start));
            sum += (1 - rows.matmul(b.t()).abs()).min(1).values.sum().item<double>();
        }
        return sum / a.shape[0];
    }

    /// <summary>MiFID = FID / d, with d the memorisation distance when it is below ε = 0.1 and 1 otherwise.</summary>
    public static double MiFid(double fid, double cosineDistance, double epsilon = 0.1) =>
        fid / ((cosineDistance < epsilon ? cosineDistance : 1) + 1e-15);

    private static Tensor PixelMatrix(ImageSample sample) =>
        tensor(sample.Pixels, new long[] { sample.Count, sample.ImageBytes }).to(float32).div(255);

    private static Space Compare(string name, Tensor reference, Tensor real, bool leaveOneOut, Tensor fake, int rms, Action<long>? searched)
    {
        var (realNearest, _) = Nearest(real, reference, excludeSelf: leaveOneOut, searched);
        var sorted = realNearest.OrderBy(v => v).ToArray();
        double threshold = sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(Percentile * sorted.Length))];
        var (nearest, index) = Nearest(fake, reference, excludeSelf: false, searched);
        if (rms > 0)
        {
            threshold /= Math.Sqrt(rms);
            for (int i = 0; i < nearest.Length; i++) nearest[i] /= Math.Sqrt(rms);
        }
        var flagged = nearest.Select(d => d < threshold || d == 0).ToArray();
        return new Space(name, threshold, nearest, index, flagged);
    }

    private static (double[] Distance, int[] Index) Nearest(Tensor queries, Tensor reference, bool excludeSelf, Action<long>? searched)
    {
        long n = queries.shape[0];
        var distance = new double[n];
        var index = new int[n];
        var reference64 = reference.to(float64);
        var referenceNorms = reference64.square().sum(1);
        for (long start = 0; start < n; start += Chunk)
        {
            using var inner = NewDisposeScope();
            long len = Math.Min(Chunk, n - start);
            var q = queries.narrow(0, start, len).to(float64);
            // ‖q − r‖² = ‖q‖² − 2 q·r + ‖r‖², in float64 so identical images come out at (nearly exactly) 0
            var d2 = (q.square().sum(1, keepdim: true) - 2 * q.matmul(reference64.t()) + referenceNorms.unsqueeze(0)).clamp_min(0);
            if (excludeSelf) d2.narrow(1, start, len).diagonal().fill_(double.PositiveInfinity);
            var (values, indices) = d2.min(1);
            var v = values.sqrt().data<double>().ToArray();
            var ix = indices.data<long>().ToArray();
            for (int i = 0; i < len; i++)
            {
                distance[start + i] = v[i];
                index[start + i] = (int)ix[i];
            }
            searched?.Invoke(len);
        }
        return (distance, index);
    }
}

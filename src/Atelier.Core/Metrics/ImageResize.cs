namespace Atelier.Metrics;

/// <summary>
/// Antialiased bilinear resizing (a triangle filter widened by the scale when shrinking, as PIL does), from CHW
/// bytes to float RGB planes. Upsampling is plain bilinear with half-pixel centres; shrinking averages every
/// source pixel under the filter instead of skipping pixels, which matters for FID.
/// </summary>
public static class ImageResize
{
    public const string Method = "antialiased bilinear (PIL-style triangle filter)";

    /// <summary>Weights of each output index over the source indices.</summary>
    internal static (int[] Start, float[][] Weights) Filter(int source, int target)
    {
        double scale = (double)source / target, support = Math.Max(scale, 1.0);
        var start = new int[target];
        var weights = new float[target][];
        for (int i = 0; i < target; i++)
        {
            double center = (i + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(center - support));
            int hi = Math.Min(source - 1, (int)Math.Ceiling(center + support));
            var w = new double[hi - lo + 1];
            double sum = 0;
            for (int j = lo; j <= hi; j++)
            {
                double t = Math.Abs((j + 0.5 - center) / support);
                w[j - lo] = t < 1 ? 1 - t : 0;
                sum += w[j - lo];
            }
            start[i] = lo;
            weights[i] = w.Select(v => (float)(v / sum)).ToArray();
        }
        return (start, weights);
    }

    /// <summary>
    /// Resizes one CHW byte image (1 or 3 channels, side <paramref name="resolution"/>) to 3×size×size floats in
    /// 0..255, written to <paramref name="destination"/>.
    /// </summary>
    public static void ToRgbPlanes(ReadOnlySpan<byte> image, int channels, int resolution, int size, Span<float> destination)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels));
        if (destination.Length < 3 * size * size) throw new ArgumentException("destination too small", nameof(destination));
        var (start, weights) = FilterCache.Get(resolution, size);
        var rows = new float[resolution * size];
        for (int c = 0; c < 3; c++)
        {
            var plane = image.Slice((channels == 1 ? 0 : c) * resolution * resolution, resolution * resolution);
            var output = destination.Slice(c * size * size, size * size);
            if (c > 0 && channels == 1)
            {
                destination.Slice(0, size * size).CopyTo(output);
                continue;
            }
            for (int y = 0; y < resolution; y++) // horizontal pass
            {
                for (int x = 0; x < size; x++)
                {
                    float sum = 0;
                    var w = weights[x];
                    int s = start[x];
                    for (int k = 0; k < w.Length; k++) sum += w[k] * plane[y * resolution + s + k];
                    rows[y * size + x] = sum;
                }
            }
            for (int y = 0; y < size; y++) // vertical pass
            {
                var w = weights[y];
                int s = start[y];
                for (int x = 0; x < size; x++)
                {
                    float sum = 0;
                    for (int k = 0; k < w.Length; k++) sum += w[k] * rows[(s + k) * size + x];
                    output[y * size + x] = sum;
                }
            }
        }
    }

    private static class FilterCache
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int), (int[], float[][])> Cache = new();

        public static (int[] Start, float[][] Weights) Get(int source, int target) => Cache.GetOrAdd((source, target), k => Filter(k.Item1, k.Item2));
    }
}

using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Sampling;

namespace Atelier.Metrics;

/// <summary>A fixed set of images (CHW bytes) to measure, with a line saying how it was drawn.</summary>
/// <param name="Identity">What makes the sample unique (dataset fingerprint or weights hash, count, seed): a cache key.</param>
public sealed record ImageSample(string Description, string Identity, byte[] Pixels, int Count, int Channels, int Resolution)
{
    public int ImageBytes => Channels * Resolution * Resolution;

    public ReadOnlySpan<byte> Image(int i) => Pixels.AsSpan(i * ImageBytes, ImageBytes);

    /// <summary>
    /// <paramref name="count"/> images of a dataset: the first of a permutation decided by <paramref name="seed"/>
    /// (all of them, in order, when count ≥ the dataset's size). <paramref name="skip"/> starts later in the same
    /// permutation, giving a sample disjoint from an earlier one.
    /// </summary>
    public static ImageSample FromSource(IImageSource source, int count, long seed, int skip = 0, Action<long, long>? progress = null)
    {
        int available = source.IsUnlimited ? int.MaxValue : source.Count;
        if (skip >= available) throw new OptionException($"'{source.Name}' has only {available} images; none left after the first {skip}.");
        int n = Math.Min(count, available - skip);
        long[] indices;
        if (source.IsUnlimited) indices = Enumerable.Range(skip, n).Select(i => 1_000_000_000L + i).ToArray(); // beyond any training epoch
        else if (n == available && skip == 0) indices = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        else indices = SplitMix64.For(seed, "evaluation-sample").Permutation(available).Skip(skip).Take(n).Select(i => (long)i).ToArray();
        int bytes = source.Channels * source.Resolution * source.Resolution;
        var pixels = new byte[n * bytes];
        for (int i = 0; i < n; i++)
        {
            source.Read(indices[i], pixels.AsSpan(i * bytes, bytes));
            if ((i + 1) % Chunk == 0 || i + 1 == n) progress?.Invoke(i + 1, n);
        }
        var what = n == available && skip == 0 ? $"all {n}" : $"{n} of {(source.IsUnlimited ? "unlimited" : available.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(skip > 0 ? $" after {skip}" : "")}, seed {seed}";
        return new ImageSample($"{source.Name} ({what})", $"{source.Fingerprint}/{n}/{skip}/{seed}", pixels, n, source.Channels, source.Resolution);
    }

    /// <summary>Images of seeds firstSeed .. firstSeed+count-1, rounded to bytes exactly as saved PNGs are.</summary>
    public static ImageSample FromGenerator(TrainedGenerator generator, int count, long firstSeed = 0, Action<long, long>? progress = null)
    {
        var m = generator.Model;
        int bytes = m.Channels * m.Resolution * m.Resolution;
        var pixels = new byte[count * bytes];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var floats = generator.Generate(Enumerable.Range(0, n).Select(i => firstSeed + start + i).ToList());
            for (int i = 0; i < floats.Length; i++) pixels[start * bytes + i] = ImageCodec.ToByte(floats[i]);
            progress?.Invoke(start + n, count);
        }
        var run = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(generator.Checkpoint)));
        var description = $"{run} {Path.GetFileName(generator.Checkpoint)} {(generator.UsesAverage ? "EMA" : "raw")} generator (seeds {firstSeed}..{firstSeed + count - 1})";
        return new ImageSample(description, $"{generator.WeightsHash}/{count}/{firstSeed}", pixels, count, m.Channels, m.Resolution);
    }

    /// <summary>Images per step of generation and of feature extraction (a multiple of every feature network's batch, so
    /// the batches, and the features, are those of one call).</summary>
    public const int Chunk = 256;

    /// <summary>The features of the sample, computed <see cref="Chunk"/> images at a time with progress.</summary>
    public FeatureBatch Features(IFeatureNetwork network, Action<long, long>? progress = null) => Features(network, progress, Chunk);

    /// <summary>As <see cref="Features(IFeatureNetwork, Action{long, long}?)"/> with chunks of <paramref name="chunk"/> images (tests).</summary>
    internal FeatureBatch Features(IFeatureNetwork network, Action<long, long>? progress, int chunk)
    {
        if (progress is null || Count <= chunk)
        {
            var all = network.Compute(Pixels, Count, Channels, Resolution);
            progress?.Invoke(Count, Count);
            return all;
        }
        var features = new float[(long)Count * network.Dimension];
        var probabilities = network.ClassCount > 0 ? new float[(long)Count * network.ClassCount] : null;
        for (int start = 0; start < Count; start += chunk)
        {
            int n = Math.Min(chunk, Count - start);
            var part = network.Compute(Pixels.AsSpan(start * ImageBytes, n * ImageBytes), n, Channels, Resolution);
            part.Features.CopyTo(features, (long)start * network.Dimension);
            if (probabilities is not null)
                (part.Probabilities ?? throw new InvalidOperationException($"{network.Id} gave no class probabilities")).CopyTo(probabilities, (long)start * network.ClassCount);
            progress(start + n, Count);
        }
        return new FeatureBatch(features, probabilities);
    }

    /// <summary>Images already in memory (tests, the training loop).</summary>
    public static ImageSample FromPixels(string description, byte[] pixels, int count, int channels, int resolution) =>
        new(description, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(pixels))[..16], pixels, count, channels, resolution);
}

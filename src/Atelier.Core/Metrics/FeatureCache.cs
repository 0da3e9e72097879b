using System.Security.Cryptography;
using System.Text;
using Atelier.Imaging;

namespace Atelier.Metrics;

/// <summary>
/// Features of real-data samples, cached on disk per (dataset fingerprint, sample, network, preprocessing), so the
/// real side of a metric is computed once. A changed dataset has another fingerprint and so another entry; a
/// damaged file fails its checksum and is recomputed.
/// </summary>
public sealed class FeatureCache(string directory)
{
    private const uint Magic = 0x41544643; // "ATFC"

    public string Directory { get; } = directory;

    /// <summary>Set after each <see cref="GetOrCompute"/>: whether it was read from disk.</summary>
    public bool LastWasHit { get; private set; }

    public static string Key(IFeatureNetwork network, ImageSample sample) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{network.Id}\n{network.Description}\n{network.Preprocessing}\n{sample.Identity}")))[..32].ToLowerInvariant();

    public string PathFor(string key) => Path.Combine(Directory, key + ".atfc");

    public FeatureBatch GetOrCompute(IFeatureNetwork network, ImageSample sample, Action<long, long>? progress = null)
    {
        var path = PathFor(Key(network, sample));
        if (TryRead(path, sample.Count, network.Dimension, network.ClassCount) is { } cached)
        {
            LastWasHit = true;
            return cached;
        }
        LastWasHit = false;
        var features = sample.Features(network, progress);
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.Write(path, stream => Write(stream, features, sample.Count, network.Dimension, network.ClassCount));
        return features;
    }

    private static void Write(Stream stream, FeatureBatch batch, int count, int dimension, int classes)
    {
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(count);
            w.Write(dimension);
            w.Write(classes);
            foreach (var v in batch.Features) w.Write(v);
            if (batch.Probabilities is { } p) foreach (var v in p) w.Write(v);
        }
        var bytes = body.ToArray();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(bytes.Length);
        writer.Write(SHA256.HashData(bytes));
        writer.Write(bytes);
    }

    private static FeatureBatch? TryRead(string path, int count, int dimension, int classes)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadUInt32() != Magic) return null;
            int length = reader.ReadInt32();
            var hash = reader.ReadBytes(32);
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length || !SHA256.HashData(bytes).AsSpan().SequenceEqual(hash)) return null;
            using var body = new BinaryReader(new MemoryStream(bytes));
            if (body.ReadInt32() != count || body.ReadInt32() != dimension || body.ReadInt32() != classes) return null;
            var features = new float[count * dimension];
            for (int i = 0; i < features.Length; i++) features[i] = body.ReadSingle();
            float[]? probabilities = null;
            if (classes > 0)
            {
                probabilities = new float[count * classes];
                for (int i = 0; i < probabilities.Length; i++) probabilities[i] = body.ReadSingle();
            }
            return new FeatureBatch(features, probabilities);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }
}

using Atelier.Imaging;
using Atelier.Metrics;
using SkiaSharp;

namespace Atelier.Valuation;

/// <summary>
/// Each work's features for a value model: the <see cref="ImageDescriptors"/> first, then the ImageNet ResNet18's 512
/// global-average-pooled features of the picture letterboxed to 224×224 on the network's mean colour (so the bars
/// are near zero after its mean subtraction and the whole work is seen, whatever its aspect).
/// </summary>
public sealed class ValueFeatures : IDisposable
{
    internal static readonly SKColor NetworkMean = new(124, 116, 104);
    private readonly ResNet18Features? _network;

    public ValueFeatures(ValueFeatureSet set, string? modelDirectory = null, int threads = 0)
    {
        Set = set;
        if (set != ValueFeatureSet.Descriptors) _network = new ResNet18Features(modelDirectory, threads);
    }

    public ValueFeatureSet Set { get; }

    /// <summary>How many leading features are descriptors.</summary>
    public int DescriptorCount => Set == ValueFeatureSet.ResNet18 ? 0 : ImageDescriptors.Names.Count;

    /// <summary>Features per work.</summary>
    public int Dimension => DescriptorCount + (_network?.Dimension ?? 0);

    /// <summary>The features' names: the descriptors', then resnet18_0 … resnet18_511.</summary>
    public IReadOnlyList<string> Names =>
        [.. ImageDescriptors.Names.Take(DescriptorCount), .. Enumerable.Range(0, _network?.Dimension ?? 0).Select(i => $"resnet18_{i}")];

    /// <summary>The network behind the features, or null for descriptors only.</summary>
    public string? NetworkId => _network?.Id;

    /// <summary>
    /// The features of image files; a file that cannot be read fails naming <paramref name="labels"/>[i] (e.g. the CSV row).
    /// Decoding is bounded by <paramref name="limits"/> and the shared decode budget.
    /// </summary>
    public double[][] OfFiles(IReadOnlyList<string> paths, IReadOnlyList<string> labels, IProgress<int>? progress = null, ImageLimits? limits = null)
    {
        var result = new double[paths.Count][];
        for (int first = 0; first < paths.Count; first += ResNet18Features.BatchSize)
        {
            int count = Math.Min(ResNet18Features.BatchSize, paths.Count - first);
            var networkInput = NetworkInput(count);
            for (int i = 0; i < count; i++)
            {
                try
                {
                    // Each picture is shrunk to what the features need while its decode reservation is held, so a batch
                    // never keeps large bitmaps alive past the shared budget.
                    var encoded = ImageCodec.ReadFile(paths[first + i], limits);
                    using var reservation = DecodeBudget.Shared.ReserveFor(encoded);
                    using var image = ImageCodec.Decode(encoded, paths[first + i], limits);
                    result[first + i] = Prepare(image, networkInput, i);
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
                {
                    throw new InvalidDataException($"{labels[first + i]}: {e.Message}", e);
                }
            }
            AddNetworkFeatures(result.AsSpan(first, count), networkInput);
            progress?.Report(first + count);
        }
        return result;
    }

    /// <summary>The features of decoded, upright pictures (their size is the original size).</summary>
    public double[][] Of(IReadOnlyList<SKBitmap> images)
    {
        var networkInput = NetworkInput(images.Count);
        var result = images.Select((image, i) => Prepare(image, networkInput, i)).ToArray();
        AddNetworkFeatures(result, networkInput);
        return result;
    }

    private byte[]? NetworkInput(int count) => _network is null ? null : new byte[count * 3 * ResNet18Features.Size * ResNet18Features.Size];

    /// <summary>A row with the picture's descriptors filled in, and its letterboxed 224×224 RGB bytes at <paramref name="index"/> of the network input.</summary>
    private double[] Prepare(SKBitmap image, byte[]? networkInput, int index)
    {
        var row = new double[Dimension];
        if (DescriptorCount > 0)
        {
            double shrink = Math.Min(1, (double)ImageDescriptors.AnalysisSize / Math.Max(image.Width, image.Height));
            int w = Math.Max(1, (int)Math.Round(image.Width * shrink)), h = Math.Max(1, (int)Math.Round(image.Height * shrink));
            using var small = ImageCodec.Fit(image, w, h, ImageFit.Stretch, SKColors.White);
            var rgb = new byte[3 * w * h];
            ImageCodec.ToBytes(small, 3, rgb);
            ImageDescriptors.Compute(rgb, w, h, image.Width, image.Height).CopyTo(row, 0);
        }
        if (networkInput is not null)
        {
            using var fitted = ImageCodec.Fit(image, ResNet18Features.Size, ResNet18Features.Size, ImageFit.Letterbox, NetworkMean);
            int bytes = 3 * ResNet18Features.Size * ResNet18Features.Size;
            ImageCodec.ToBytes(fitted, 3, networkInput.AsSpan(index * bytes, bytes));
        }
        return row;
    }

    /// <summary>Runs the network on the prepared batch and writes its features after each row's descriptors.</summary>
    private void AddNetworkFeatures(Span<double[]> rows, byte[]? networkInput)
    {
        if (_network is null || networkInput is null) return;
        var batch = _network.Compute(networkInput, rows.Length, 3, ResNet18Features.Size);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < _network.Dimension; j++)
                rows[i][DescriptorCount + j] = batch.Features[i * _network.Dimension + j];
    }

    public void Dispose() => _network?.Dispose();
}

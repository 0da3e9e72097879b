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
            var bitmaps = new SKBitmap[count];
            try
            {
                for (int i = 0; i < count; i++)
                {
                    try
                    {
                        bitmaps[i] = Decode(paths[first + i], limits);
                    }
                    catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
                    {
                        throw new InvalidDataException($"{labels[first + i]}: {e.Message}", e);
                    }
                }
                var batch = Of(bitmaps);
                batch.CopyTo(result, first);
            }
            finally
            {
                foreach (var bitmap in bitmaps) bitmap?.Dispose();
            }
            progress?.Report(first + count);
        }
        return result;
    }

    /// <summary>Decodes one file upright, within the shared decode budget.</summary>
    private static SKBitmap Decode(string path, ImageLimits? limits)
    {
        var encoded = ImageCodec.ReadFile(path, limits);
        using var reservation = DecodeBudget.Shared.ReserveFor(encoded);
        return ImageCodec.Decode(encoded, path, limits);
    }

    /// <summary>The features of decoded, upright pictures (their size is the original size).</summary>
    public double[][] Of(IReadOnlyList<SKBitmap> images)
    {
        var result = new double[images.Count][];
        var networkInput = _network is null ? null : new byte[images.Count * 3 * ResNet18Features.Size * ResNet18Features.Size];
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
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
                ImageCodec.ToBytes(fitted, 3, networkInput.AsSpan(i * bytes, bytes));
            }
            result[i] = row;
        }
        if (_network is not null && networkInput is not null)
        {
            var batch = _network.Compute(networkInput, images.Count, 3, ResNet18Features.Size);
            for (int i = 0; i < images.Count; i++)
                for (int j = 0; j < _network.Dimension; j++)
                    result[i][DescriptorCount + j] = batch.Features[i * _network.Dimension + j];
        }
        return result;
    }

    public void Dispose() => _network?.Dispose();
}

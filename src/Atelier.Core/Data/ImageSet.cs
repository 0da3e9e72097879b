namespace Atelier.Data;

/// <summary>An in-memory dataset: all images as one contiguous N×C×H×W byte array.</summary>
public sealed class ImageSet : IImageSource
{
    private readonly byte[] _pixels;
    private readonly int[]? _labels;
    private readonly Imaging.ImageRegion[]? _regions;

    public ImageSet(string name, byte[] pixels, int count, int channels, int resolution, int[]? labels,
        IReadOnlyList<string>? classes, string fingerprint, IReadOnlyList<SkippedFile>? skipped = null, Imaging.ImageRegion[]? regions = null)
    {
        if (regions is not null && regions.Length != count) throw new ArgumentException($"{regions.Length} regions for {count} images");
        _regions = regions;
        if (pixels.Length != (long)count * channels * resolution * resolution)
            throw new ArgumentException($"{pixels.Length} bytes cannot be {count} images of {channels}x{resolution}x{resolution}");
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"{labels.Length} labels for {count} images");
        Name = name;
        _pixels = pixels;
        Count = count;
        Channels = channels;
        Resolution = resolution;
        _labels = labels;
        Classes = classes;
        Fingerprint = fingerprint;
        Skipped = skipped ?? [];
    }

    public string Name { get; }

    public int Count { get; }

    public bool IsUnlimited => false;

    public int Channels { get; }

    public int Resolution { get; }

    public IReadOnlyList<string>? Classes { get; }

    public string Fingerprint { get; }

    public IReadOnlyList<SkippedFile> Skipped { get; }

    public int ImageBytes => Channels * Resolution * Resolution;

    /// <summary>All pixels, N×C×H×W.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public int[]? Labels => _labels;

    public void Read(long index, Span<byte> destination)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), $"image {index} of {Count}");
        _pixels.AsSpan((int)index * ImageBytes, ImageBytes).CopyTo(destination);
    }

    public int Label(long index) => _labels is null ? -1 : _labels[index];

    public bool HasRegions => _regions is not null;

    public Imaging.ImageRegion Region(long index) => _regions?[index] ?? new(0, 0, Resolution, Resolution);

    /// <summary>Letterbox regions of every image, or null.</summary>
    public Imaging.ImageRegion[]? Regions => _regions;
}

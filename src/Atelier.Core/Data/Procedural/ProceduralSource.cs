using Atelier.Imaging;
using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data.Procedural;

/// <summary>
/// An unlimited dataset of paintings in one style: image i is painted from a random stream seeded by
/// (seed, i), so the same index always gives the same bytes and no two epochs repeat.
/// </summary>
public sealed class ProceduralSource(ProceduralStyle style, int resolution, int channels, long seed = 0, int epochSize = 50_000) : IImageSource
{
    public ProceduralStyle Style { get; } = style;

    public string Name => $"procedural:{Style.Name}";

    public int Count { get; } = epochSize;

    public bool IsUnlimited => true;

    public int Channels { get; } = channels;

    public int Resolution { get; } = resolution;

    public IReadOnlyList<string>? Classes => null;

    public string Fingerprint => $"procedural-{Style.Name}-v1-s{seed}-r{Resolution}-c{Channels}";

    public IReadOnlyList<SkippedFile> Skipped => [];

    public void Read(long index, Span<byte> destination)
    {
        using var bitmap = Render(index);
        ImageCodec.ToBytes(bitmap, Channels, destination);
    }

    public int Label(long index) => -1;

    /// <summary>Paints image <paramref name="index"/> as an opaque RGBA bitmap.</summary>
    public SKBitmap Render(long index)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Resolution, Resolution, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        Style.Paint(canvas, Resolution, SplitMix64.For(seed, Style.Name, index));
        canvas.Flush();
        return bitmap;
    }
}

namespace Atelier.Imaging;

/// <summary>Bounds checked from an image's header before any pixel is decoded.</summary>
public sealed record ImageLimits(long MaxPixels = 100_000_000, int MaxSide = 40_000, long MaxFileBytes = 512L * 1024 * 1024)
{
    public static ImageLimits Default { get; } = new();
}

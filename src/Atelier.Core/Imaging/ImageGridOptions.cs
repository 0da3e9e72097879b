using SkiaSharp;

namespace Atelier.Imaging;

/// <summary>Lays images out in rows × columns with padding and optional captions.</summary>
public sealed record ImageGridOptions(int Columns = 0, int Padding = 2, SKColor? Background = null, int Scale = 1)
{
    /// <summary>Columns to use for <paramref name="count"/> images: as given, else the smallest square that holds them.</summary>
    public int ColumnsFor(int count) => Columns > 0 ? Columns : Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));
}

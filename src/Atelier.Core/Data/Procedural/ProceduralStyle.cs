using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data.Procedural;

/// <summary>A generator of abstract paintings in one style; same random stream, same painting.</summary>
public abstract class ProceduralStyle
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Paints onto a <paramref name="size"/>×<paramref name="size"/> canvas.</summary>
    public abstract void Paint(SKCanvas canvas, int size, SplitMix64 random);

    public static IReadOnlyList<ProceduralStyle> All { get; } = [new MondrianStyle(), new KandinskyStyle(), new RothkoStyle()];

    public static ProceduralStyle? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    protected static SKColor Jitter(SKColor color, SplitMix64 random, int amount)
    {
        byte J(byte c) => (byte)Math.Clamp(c + random.Next(-amount, amount + 1), 0, 255);
        return new SKColor(J(color.Red), J(color.Green), J(color.Blue));
    }
}

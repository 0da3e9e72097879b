using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data.Procedural;

/// <summary>Mark Rothko's colour fields: two or three soft-edged stacked rectangles floating on a ground.</summary>
public sealed class RothkoStyle : ProceduralStyle
{
    private static readonly SKColor[][] Palettes =
    [
        [new(0x8E, 0x1B, 0x17), new(0xE3, 0x7B, 0x1C), new(0xF4, 0xC4, 0x30), new(0x5A, 0x0F, 0x12)],
        [new(0x1B, 0x2A, 0x4A), new(0x3B, 0x6E, 0x8F), new(0x9A, 0xB9, 0xC9), new(0x11, 0x18, 0x2B)],
        [new(0x3E, 0x1F, 0x3F), new(0xB0, 0x3A, 0x5B), new(0xE8, 0x8E, 0x6E), new(0x24, 0x10, 0x22)],
        [new(0x2F, 0x3B, 0x22), new(0x7C, 0x8F, 0x3A), new(0xD9, 0xC6, 0x6B), new(0x1D, 0x24, 0x14)],
        [new(0x26, 0x26, 0x26), new(0x5C, 0x4B, 0x3F), new(0xA7, 0x8C, 0x6D), new(0x14, 0x12, 0x10)],
    ];

    public override string Name => "rothko";

    public override string Description => "soft-edged colour fields stacked on a ground";

    public override void Paint(SKCanvas canvas, int size, SplitMix64 random)
    {
        var palette = random.Pick(Palettes);
        float s = size;
        canvas.Clear(Jitter(palette[random.Next(0, palette.Length)], random, 14));
        int blocks = random.Next(2, 4);
        float margin = (float)random.Range(0.07, 0.14) * s;
        float gap = (float)random.Range(0.03, 0.07) * s;
        float available = s - 2 * margin - (blocks - 1) * gap;
        var weights = Enumerable.Range(0, blocks).Select(_ => random.Range(0.6, 1.6)).ToArray();
        double total = weights.Sum();
        float y = margin;
        using var paint = new SKPaint { IsAntialias = true };
        using var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, Math.Max(0.6f, s * 0.018f));
        paint.MaskFilter = blur;
        for (int i = 0; i < blocks; i++)
        {
            float h = (float)(available * weights[i] / total);
            float inset = margin * (float)random.Range(0.8, 1.2);
            paint.Color = Jitter(random.Pick(palette), random, 18).WithAlpha((byte)random.Next(215, 256));
            canvas.DrawRoundRect(new SKRect(inset, y, s - inset, y + h), s * 0.02f, s * 0.02f, paint);
            y += h + gap;
        }
    }
}

using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data.Procedural;

/// <summary>Piet Mondrian's compositions: a recursive split of the canvas by black rules, a few cells in primaries.</summary>
public sealed class MondrianStyle : ProceduralStyle
{
    private static readonly SKColor[] Primaries = [new(0xD4, 0x1F, 0x1F), new(0x1F, 0x3F, 0xA8), new(0xF2, 0xC6, 0x1B)];
    private static readonly SKColor Canvas = new(0xF4, 0xF1, 0xE8);

    public override string Name => "mondrian";

    public override string Description => "grids of primaries with black rules";

    public override void Paint(SKCanvas canvas, int size, SplitMix64 random)
    {
        canvas.Clear(Jitter(Canvas, random, 6));
        var cells = new List<SKRect> { new(0, 0, size, size) };
        int splits = random.Next(3, 8);
        float minCell = size * 0.12f;
        for (int s = 0; s < splits; s++)
        {
            int pick = random.Next(0, cells.Count);
            var cell = cells[pick];
            bool vertical = cell.Width > cell.Height ? random.Chance(0.75) : random.Chance(0.25);
            float span = vertical ? cell.Width : cell.Height;
            if (span < 2 * minCell) continue;
            float at = (float)random.Range(minCell, span - minCell);
            cells.RemoveAt(pick);
            if (vertical)
            {
                cells.Add(new SKRect(cell.Left, cell.Top, cell.Left + at, cell.Bottom));
                cells.Add(new SKRect(cell.Left + at, cell.Top, cell.Right, cell.Bottom));
            }
            else
            {
                cells.Add(new SKRect(cell.Left, cell.Top, cell.Right, cell.Top + at));
                cells.Add(new SKRect(cell.Left, cell.Top + at, cell.Right, cell.Bottom));
            }
        }
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        int coloured = random.Next(1, Math.Min(4, cells.Count) + 1);
        for (int i = 0; i < coloured; i++)
        {
            fill.Color = Jitter(Primaries[random.Next(0, Primaries.Length)], random, 10);
            canvas.DrawRect(cells[random.Next(0, cells.Count)], fill);
        }
        if (random.Chance(0.3))
        {
            fill.Color = new SKColor(0x18, 0x18, 0x18);
            canvas.DrawRect(cells[random.Next(0, cells.Count)], fill);
        }
        float rule = Math.Max(1.5f, size * (float)random.Range(0.03, 0.05));
        using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = rule, Color = new SKColor(0x10, 0x10, 0x10) };
        foreach (var cell in cells) canvas.DrawRect(cell, line);
        canvas.DrawRect(new SKRect(0, 0, size, size), line);
    }
}

using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Data.Procedural;

/// <summary>Wassily Kandinsky's geometric abstractions: circles, arcs, lines and triangles on colour fields.</summary>
public sealed class KandinskyStyle : ProceduralStyle
{
    private static readonly SKColor[] Fields =
    [
        new(0xEF, 0xE3, 0xC8), new(0xE8, 0xD5, 0xA9), new(0xCF, 0xDD, 0xE0), new(0x2B, 0x2F, 0x4A), new(0xF0, 0xE6, 0xD8),
    ];

    private static readonly SKColor[] Inks =
    [
        new(0xC8, 0x2A, 0x2A), new(0x1E, 0x4E, 0x9A), new(0xF2, 0xB7, 0x05), new(0x22, 0x22, 0x22), new(0x3A, 0x8F, 0x5C),
        new(0xE0, 0x6C, 0x1F), new(0x7A, 0x3E, 0x9D),
    ];

    public override string Name => "kandinsky";

    public override string Description => "circles, arcs, lines and triangles on colour fields";

    public override void Paint(SKCanvas canvas, int size, SplitMix64 random)
    {
        var field = Jitter(random.Pick(Fields), random, 8);
        var fieldEnd = Jitter(random.Pick(Fields), random, 8);
        using (var gradient = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size * (float)random.NextDouble(), size),
                   [field, fieldEnd], SKShaderTileMode.Clamp))
        using (var background = new SKPaint { Shader = gradient })
        {
            canvas.DrawRect(0, 0, size, size, background);
        }
        using var paint = new SKPaint { IsAntialias = true };
        float s = size;
        // A dominant circle with a halo, the anchor of most of Kandinsky's compositions.
        var centre = new SKPoint((float)random.Range(0.25, 0.75) * s, (float)random.Range(0.25, 0.75) * s);
        float radius = (float)random.Range(0.12, 0.28) * s;
        paint.Style = SKPaintStyle.Fill;
        paint.Color = Jitter(random.Pick(Inks), random, 12).WithAlpha(235);
        canvas.DrawCircle(centre, radius * 1.25f, paint);
        paint.Color = Jitter(random.Pick(Inks), random, 12);
        canvas.DrawCircle(centre, radius, paint);
        int shapes = random.Next(4, 9);
        for (int i = 0; i < shapes; i++)
        {
            paint.Color = Jitter(random.Pick(Inks), random, 12).WithAlpha((byte)random.Next(190, 256));
            var p = new SKPoint((float)random.NextDouble() * s, (float)random.NextDouble() * s);
            switch (random.Next(0, 5))
            {
                case 0:
                    paint.Style = SKPaintStyle.Fill;
                    canvas.DrawCircle(p, (float)random.Range(0.03, 0.1) * s, paint);
                    break;
                case 1:
                    paint.Style = SKPaintStyle.Stroke;
                    paint.StrokeWidth = (float)random.Range(0.015, 0.035) * s;
                    canvas.DrawCircle(p, (float)random.Range(0.06, 0.2) * s, paint);
                    break;
                case 2:
                    {
                        paint.Style = SKPaintStyle.Stroke;
                        paint.StrokeWidth = (float)random.Range(0.015, 0.04) * s;
                        float r = (float)random.Range(0.1, 0.35) * s;
                        canvas.DrawArc(new SKRect(p.X - r, p.Y - r, p.X + r, p.Y + r), (float)random.Range(0, 360), (float)random.Range(60, 200), false, paint);
                        break;
                    }
                case 3:
                    {
                        paint.Style = SKPaintStyle.Fill;
                        using var path = new SKPath();
                        float r = (float)random.Range(0.08, 0.22) * s;
                        double a = random.Range(0, Math.PI * 2);
                        path.MoveTo(p.X + r * (float)Math.Cos(a), p.Y + r * (float)Math.Sin(a));
                        path.LineTo(p.X + r * (float)Math.Cos(a + 2.1), p.Y + r * (float)Math.Sin(a + 2.1));
                        path.LineTo(p.X + r * (float)Math.Cos(a + 4.2), p.Y + r * (float)Math.Sin(a + 4.2));
                        path.Close();
                        canvas.DrawPath(path, paint);
                        break;
                    }
                default:
                    {
                        paint.Style = SKPaintStyle.Stroke;
                        paint.StrokeWidth = (float)random.Range(0.01, 0.03) * s;
                        paint.Color = new SKColor(0x15, 0x15, 0x15);
                        var q = new SKPoint((float)random.NextDouble() * s, (float)random.NextDouble() * s);
                        canvas.DrawLine(p, q, paint);
                        break;
                    }
            }
        }
        // Thin black lines crossing the composition.
        paint.Style = SKPaintStyle.Stroke;
        paint.Color = new SKColor(0x12, 0x12, 0x12);
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            paint.StrokeWidth = Math.Max(1f, (float)random.Range(0.008, 0.02) * s);
            canvas.DrawLine((float)random.NextDouble() * s, (float)random.NextDouble() * s, (float)random.NextDouble() * s, (float)random.NextDouble() * s, paint);
        }
    }
}

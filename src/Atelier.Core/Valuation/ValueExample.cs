using System.Globalization;
using System.Text;
using Atelier.Imaging;
using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Valuation;

/// <summary>
/// Procedural collections of works whose values are a stated function of what is visible (or of nothing, or of the
/// artist only), for checking that a value model finds a signal, reports none where there is none, and that grouped
/// validation removes the artist leak. Written as PNGs (96×96) and a works.csv beside them.
/// </summary>
public static class ValueExample
{
    public const int Size = 96;
    public const double NoiseDeviation = 10;

    /// <summary>Writes the collection into <paramref name="folder"/> (images/ and works.csv) and returns the CSV's path.</summary>
    public static string Write(string folder, ValueExampleKind kind, int count, long seed)
    {
        if (count < 2 || count > 100_000) throw new OptionException($"--count: {count} works; give 2 to 100000.");
        var csvPath = Path.Combine(folder, "works.csv");
        if (File.Exists(csvPath)) throw new OptionException($"--out: '{folder}' already holds a works.csv; choose an empty folder.");
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        // shapes, shuffled and sold are the same images: only their values differ.
        var random = SplitMix64.For(seed, kind == ValueExampleKind.Artists ? "value-collection-artists" : "value-collection-shapes");
        var csv = new StringBuilder();
        if (kind == ValueExampleKind.Artists)
        {
            csv.AppendLine("image,price,artist");
            int artists = Math.Max(3, (int)Math.Round(Math.Sqrt(count)));
            var palettes = Enumerable.Range(0, artists).Select(a => (Hue: 360.0 * a / artists, Saturation: random.Range(0.4, 1), Round: random.Chance(0.5),
                Level: Math.Exp(Math.Log(1000) + 0.8 * Gaussian(random)))).ToArray();
            for (int i = 0; i < count; i++)
            {
                int a = i % artists;
                var style = palettes[a];
                int shapes = random.Next(2, 7);
                var drawn = Enumerable.Range(0, shapes).Select(_ => (Hue: style.Hue + random.Range(-15, 15), Radius: random.Range(6, 18), style.Round)).ToArray();
                var name = $"images/work{i:D5}.png";
                Save(Path.Combine(folder, name), Draw(drawn, style.Saturation, random));
                double price = style.Level * Math.Exp(0.1 * Gaussian(random));
                csv.Append(name).Append(',').Append(price.ToString("F2", CultureInfo.InvariantCulture)).Append(",artist").Append(a.ToString("D2", CultureInfo.InvariantCulture)).AppendLine();
            }
        }
        else
        {
            var names = new string[count];
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                int shapes = random.Next(1, 9);
                double saturation = random.Range(0.05, 1);
                var drawn = Enumerable.Range(0, shapes).Select(_ => (Hue: random.Range(0, 360), Radius: random.Range(5, 20), Round: random.Chance(0.5))).ToArray();
                names[i] = $"images/work{i:D5}.png";
                Save(Path.Combine(folder, names[i]), Draw(drawn, saturation, random));
                values[i] = 20 * shapes + 3 * drawn.Average(d => d.Radius) + 100 * saturation + NoiseDeviation * Gaussian(random);
            }
            if (kind == ValueExampleKind.Shuffled)
            {
                for (int i = count - 1; i > 0; i--)
                {
                    int j = random.Next(0, i + 1);
                    (values[i], values[j]) = (values[j], values[i]);
                }
            }
            double median = values.Order().ElementAt(count / 2);
            csv.AppendLine(kind == ValueExampleKind.Sold ? "image,sold" : "image,value");
            for (int i = 0; i < count; i++)
                csv.Append(names[i]).Append(',').Append(kind == ValueExampleKind.Sold ? (values[i] >= median ? "yes" : "no") : values[i].ToString("F2", CultureInfo.InvariantCulture)).AppendLine();
        }
        AtomicFile.WriteAllText(csvPath, csv.ToString());
        return csvPath;
    }

    /// <summary>A light, nearly grey ground with the shapes on it, each in its hue at the work's saturation.</summary>
    private static SKBitmap Draw((double Hue, double Radius, bool Round)[] shapes, double saturation, SplitMix64 random)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColor.FromHsv((float)random.Range(0, 360), (float)random.Range(0, 8), (float)random.Range(86, 96)));
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (var (hue, radius, round) in shapes)
        {
            paint.Color = SKColor.FromHsv((float)((hue % 360 + 360) % 360), (float)(100 * saturation), 85);
            float x = (float)random.Range(radius, Size - radius), y = (float)random.Range(radius, Size - radius), r = (float)radius;
            if (round) canvas.DrawCircle(x, y, r, paint);
            else canvas.DrawRect(x - r, y - r, 2 * r, 2 * r, paint);
        }
        canvas.Flush();
        return bitmap;
    }

    private static void Save(string path, SKBitmap bitmap)
    {
        using (bitmap) AtomicFile.WriteAllBytes(path, ImageCodec.EncodePng(bitmap));
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(SplitMix64 random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

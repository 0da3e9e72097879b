using SkiaSharp;

namespace Atelier.Imaging;

/// <summary>A font for captions: DejaVu Sans where installed (fonts-dejavu-core), else Skia's default.</summary>
internal static class GridFont
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    private static readonly Lazy<SKTypeface> Typeface = new(() =>
    {
        foreach (var path in Candidates)
        {
            if (File.Exists(path))
            {
                var face = SKTypeface.FromFile(path);
                if (face is not null) return face;
            }
        }
        return SKTypeface.Default;
    });

    public static SKFont Create(float size) => new(Typeface.Value, size) { Edging = SKFontEdging.Antialias };
}

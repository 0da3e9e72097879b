using System.Globalization;
using Atelier.Platform;

namespace Atelier.Imaging;

/// <summary>Crops square CHW images to a centred rectangle of a given aspect ratio (generate --aspect 4:3).</summary>
public static class AspectCrop
{
    /// <summary>Parses "4:3", "16:9", "1:2" or "1.5" as width / height.</summary>
    public static double Parse(string text)
    {
        var parts = text.Split(':');
        bool ok = parts.Length switch
        {
            1 => double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            2 => double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _) && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
        double ratio = !ok ? double.NaN : parts.Length == 1
            ? double.Parse(parts[0], CultureInfo.InvariantCulture)
            : double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
        if (!(ratio is >= 0.1 and <= 10)) throw new OptionException($"--aspect: '{text}' is not a ratio like 4:3 between 1:10 and 10:1.");
        return ratio;
    }

    /// <summary>The centred crop of each size×size image with width/height = <paramref name="aspect"/>.</summary>
    public static (float[] Pixels, int Height, int Width) Crop(float[] pixels, int count, int channels, int size, double aspect)
    {
        int width = aspect >= 1 ? size : Math.Max(1, (int)Math.Round(size * aspect));
        int height = aspect >= 1 ? Math.Max(1, (int)Math.Round(size / aspect)) : size;
        int x0 = (size - width) / 2, y0 = (size - height) / 2;
        var result = new float[count * channels * height * width];
        for (int i = 0; i < count; i++)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < height; y++)
                    Array.Copy(pixels, ((i * channels + c) * size + y0 + y) * size + x0, result, ((i * channels + c) * height + y) * width, width);
        return (result, height, width);
    }
}

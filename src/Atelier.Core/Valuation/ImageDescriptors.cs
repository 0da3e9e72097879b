namespace Atelier.Valuation;

/// <summary>
/// Interpretable descriptors of a picture, each a number a person can check by eye: size and aspect of the original,
/// and on a copy whose long side is at most <see cref="AnalysisSize"/> pixels (alpha composited on white):
/// brightness and contrast of the Rec. 601 luma, saturation, colourfulness (Hasler and Süsstrunk 2003), a hue
/// histogram weighted by chroma, edge density (Sobel), left-right symmetry and the number of distinct colours.
/// </summary>
public static class ImageDescriptors
{
    /// <summary>Long side of the copy the descriptors are computed on (size and aspect come from the original).</summary>
    public const int AnalysisSize = 128;

    /// <summary>A pixel is an edge when its Sobel magnitude of luma, divided by 4 (the response to a unit step), exceeds this.</summary>
    public const double EdgeThreshold = 0.1;

    /// <summary>The descriptors' names, in the order <see cref="Compute"/> returns them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "log10_pixels", "log2_aspect", "brightness", "contrast", "saturation", "colourfulness",
        "hue_red", "hue_yellow", "hue_green", "hue_cyan", "hue_blue", "hue_magenta",
        "edge_density", "symmetry", "log2_distinct_colours",
    ];

    /// <summary>What each descriptor measures, for reports.</summary>
    public static IReadOnlyDictionary<string, string> Meanings { get; } = new Dictionary<string, string>
    {
        ["log10_pixels"] = "size: log10 of width × height of the original",
        ["log2_aspect"] = "aspect: log2(width / height); 0 square, 1 twice as wide",
        ["brightness"] = "mean luma, 0 black to 1 white",
        ["contrast"] = "standard deviation of luma",
        ["saturation"] = "mean HSV saturation",
        ["colourfulness"] = "Hasler–Süsstrunk colourfulness of the RGB opponent channels",
        ["hue_red"] = "share of chroma with hue near 0°",
        ["hue_yellow"] = "share of chroma with hue near 60°",
        ["hue_green"] = "share of chroma with hue near 120°",
        ["hue_cyan"] = "share of chroma with hue near 180°",
        ["hue_blue"] = "share of chroma with hue near 240°",
        ["hue_magenta"] = "share of chroma with hue near 300°",
        ["edge_density"] = "share of pixels on an edge (Sobel of luma)",
        ["symmetry"] = "1 − mean |luma − its mirror image|; 1 is mirror-symmetric",
        ["log2_distinct_colours"] = "log2 of the colours left after quantising to 5 bits per channel",
    };

    /// <summary>
    /// The descriptors of an image given as CHW RGB bytes at <paramref name="width"/>×<paramref name="height"/> (already at
    /// most <see cref="AnalysisSize"/> on its long side), whose original was <paramref name="originalWidth"/>×<paramref name="originalHeight"/>.
    /// </summary>
    public static double[] Compute(ReadOnlySpan<byte> rgb, int width, int height, int originalWidth, int originalHeight)
    {
        int n = width * height;
        if (rgb.Length != 3 * n) throw new ArgumentException($"{rgb.Length} bytes for a {width}x{height} RGB image", nameof(rgb));
        var luma = new double[n];
        double sumL = 0, sumS = 0, sumRg = 0, sumRg2 = 0, sumYb = 0, sumYb2 = 0, chromaTotal = 0;
        var hue = new double[6];
        var colours = new HashSet<int>();
        for (int i = 0; i < n; i++)
        {
            double r = rgb[i] / 255.0, g = rgb[n + i] / 255.0, b = rgb[2 * n + i] / 255.0;
            double l = 0.299 * r + 0.587 * g + 0.114 * b;
            luma[i] = l;
            sumL += l;
            double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), chroma = max - min;
            sumS += max > 0 ? chroma / max : 0;
            double rg = r - g, yb = 0.5 * (r + g) - b;
            sumRg += rg;
            sumRg2 += rg * rg;
            sumYb += yb;
            sumYb2 += yb * yb;
            if (chroma > 0)
            {
                double h = max == r ? (g - b) / chroma % 6 : max == g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
                double degrees = (h * 60 + 360) % 360;
                hue[(int)((degrees + 30) / 60) % 6] += chroma;
                chromaTotal += chroma;
            }
            colours.Add((rgb[i] >> 3 << 10) | (rgb[n + i] >> 3 << 5) | (rgb[2 * n + i] >> 3));
        }
        double meanL = sumL / n;
        double squares = 0; // about the mean, in a second pass: exact zero for a flat picture
        foreach (var l in luma) squares += (l - meanL) * (l - meanL);
        double contrast = Math.Sqrt(squares / n);
        double meanRg = sumRg / n, meanYb = sumYb / n;
        double sdRg = Math.Sqrt(Math.Max(0, sumRg2 / n - meanRg * meanRg)), sdYb = Math.Sqrt(Math.Max(0, sumYb2 / n - meanYb * meanYb));
        double colourfulness = Math.Sqrt(sdRg * sdRg + sdYb * sdYb) + 0.3 * Math.Sqrt(meanRg * meanRg + meanYb * meanYb);

        var result = new double[Names.Count];
        result[0] = Math.Log10((double)originalWidth * originalHeight);
        result[1] = Math.Log2((double)originalWidth / originalHeight);
        result[2] = meanL;
        result[3] = contrast;
        result[4] = sumS / n;
        result[5] = colourfulness;
        for (int k = 0; k < 6; k++) result[6 + k] = chromaTotal > 0 ? hue[k] / chromaTotal : 0;
        result[12] = EdgeDensity(luma, width, height);
        result[13] = Symmetry(luma, width, height);
        result[14] = Math.Log2(colours.Count);
        return result;
    }

    private static double EdgeDensity(double[] luma, int width, int height)
    {
        if (width < 3 || height < 3) return 0;
        int edges = 0;
        for (int y = 1; y < height - 1; y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                double L(int dx, int dy) => luma[(y + dy) * width + x + dx];
                double gx = L(1, -1) + 2 * L(1, 0) + L(1, 1) - L(-1, -1) - 2 * L(-1, 0) - L(-1, 1);
                double gy = L(-1, 1) + 2 * L(0, 1) + L(1, 1) - L(-1, -1) - 2 * L(0, -1) - L(1, -1);
                if (Math.Sqrt(gx * gx + gy * gy) / 4 > EdgeThreshold) edges++;
            }
        }
        return (double)edges / ((width - 2) * (height - 2));
    }

    private static double Symmetry(double[] luma, int width, int height)
    {
        double difference = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                difference += Math.Abs(luma[y * width + x] - luma[y * width + width - 1 - x]);
        return 1 - difference / (width * height);
    }
}

using Atelier.Valuation;

namespace Atelier.Core.Tests.Valuation;

public sealed class ImageDescriptorsTests
{
    private static double Descriptor(double[] values, string name) => values[ImageDescriptors.Names.ToList().IndexOf(name)];

    private static byte[] Planes(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        int n = width * height;
        var rgb = new byte[3 * n];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                rgb[y * width + x] = r;
                rgb[n + y * width + x] = g;
                rgb[2 * n + y * width + x] = b;
            }
        return rgb;
    }

    [Fact]
    public void A_solid_red_picture_has_the_hand_computed_descriptors()
    {
        var d = ImageDescriptors.Compute(Planes(10, 10, (_, _) => (255, 0, 0)), 10, 10, originalWidth: 400, originalHeight: 200);
        Assert.Equal(Math.Log10(80_000), Descriptor(d, "log10_pixels"), 12);
        Assert.Equal(1, Descriptor(d, "log2_aspect"), 12);
        Assert.Equal(0.299, Descriptor(d, "brightness"), 12);
        Assert.Equal(0, Descriptor(d, "contrast"), 12);
        Assert.Equal(1, Descriptor(d, "saturation"), 12);
        // Opponent channels rg = 1, yb = 0.5 everywhere: no spread, so 0.3·√(1² + 0.5²).
        Assert.Equal(0.3 * Math.Sqrt(1.25), Descriptor(d, "colourfulness"), 12);
        Assert.Equal(1, Descriptor(d, "hue_red"), 12);
        Assert.Equal(0, Descriptor(d, "hue_blue"), 12);
        Assert.Equal(0, Descriptor(d, "edge_density"), 12);
        Assert.Equal(1, Descriptor(d, "symmetry"), 12);
        Assert.Equal(0, Descriptor(d, "log2_distinct_colours"), 12);
    }

    [Fact]
    public void Black_and_white_halves_have_one_edge_two_columns_wide_and_no_symmetry()
    {
        var d = ImageDescriptors.Compute(Planes(8, 4, (x, _) => x < 4 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255)), 8, 4, 8, 4);
        Assert.Equal(0.5, Descriptor(d, "brightness"), 9);
        Assert.Equal(0.5, Descriptor(d, "contrast"), 9);
        Assert.Equal(0, Descriptor(d, "saturation"), 12);
        Assert.Equal(0, Descriptor(d, "symmetry"), 9);
        Assert.Equal(1, Descriptor(d, "log2_distinct_colours"), 12);
        // Interior pixels x 1..6, y 1..2 (12); the Sobel response is 4 (a unit step) at x = 3 and x = 4 only.
        Assert.Equal(4.0 / 12, Descriptor(d, "edge_density"), 12);
        Assert.All(ImageDescriptors.Names.Where(n => n.StartsWith("hue_", StringComparison.Ordinal)), n => Assert.Equal(0, Descriptor(d, n)));
    }

    [Fact]
    public void Hues_fall_in_their_sixth_of_the_circle_weighted_by_chroma()
    {
        // Half pure blue (chroma 1), half dull green (chroma 0.5): blue holds 2/3 of the chroma.
        var d = ImageDescriptors.Compute(Planes(4, 4, (x, _) => x < 2 ? ((byte)0, (byte)0, (byte)255) : ((byte)64, (byte)191, (byte)64)), 4, 4, 4, 4);
        double greenChroma = (191 - 64) / 255.0;
        Assert.Equal(1 / (1 + greenChroma), Descriptor(d, "hue_blue"), 9);
        Assert.Equal(greenChroma / (1 + greenChroma), Descriptor(d, "hue_green"), 9);
        Assert.Equal(1, ImageDescriptors.Names.Where(n => n.StartsWith("hue_", StringComparison.Ordinal)).Sum(n => Descriptor(d, n)), 12);
    }

    [Fact]
    public void Every_descriptor_has_a_meaning()
    {
        Assert.Equal(ImageDescriptors.Names.Order(), ImageDescriptors.Meanings.Keys.Order());
        Assert.Equal(ImageDescriptors.Names.Count, ImageDescriptors.Compute(new byte[3 * 9], 3, 3, 3, 3).Length);
    }
}

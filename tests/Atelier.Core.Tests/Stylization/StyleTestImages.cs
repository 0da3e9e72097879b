using static TorchSharp.torch;

namespace Atelier.Core.Tests.Stylization;

/// <summary>The pictures of the style-transfer tests, RGB 0..255.</summary>
internal static class StyleTestImages
{
    /// <summary>48×64: a gradient with a red disc.</summary>
    public static Tensor Content()
    {
        var pixels = new float[3 * 48 * 64];
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                bool disc = (x - 40) * (x - 40) + (y - 20) * (y - 20) < 100;
                pixels[y * 64 + x] = disc ? 220 : 60 + 2 * x;
                pixels[48 * 64 + y * 64 + x] = disc ? 40 : 80 + y;
                pixels[2 * 48 * 64 + y * 64 + x] = disc ? 30 : 160;
            }
        return tensor(pixels, [1, 3, 48, 64]);
    }

    public static Tensor Stripes(int side = 64)
    {
        var pixels = new float[3 * side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                bool stripe = (x + y) / 6 % 2 == 0;
                pixels[y * side + x] = stripe ? 250 : 10;
                pixels[side * side + y * side + x] = stripe ? 210 : 10;
                pixels[2 * side * side + y * side + x] = stripe ? 20 : 10;
            }
        return tensor(pixels, [1, 3, side, side]);
    }
}

using Atelier.Metrics;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Metrics;

public sealed class ReconstructionQualityTests
{
    /// <summary>x = clip(0.5 + 0.4 sin(0.3 i + 0.7 j + c)), y = clip(x + 0.15 cos(1.1 i − 0.4 j + 2c)), 3×20×24, as −1..1.</summary>
    private static (Tensor X, Tensor Y) Pair()
    {
        const int c = 3, h = 20, w = 24;
        var x = new double[c * h * w];
        var y = new double[c * h * w];
        for (int k = 0; k < c; k++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int n = (k * h + i) * w + j;
                    x[n] = Math.Clamp(0.5 + 0.4 * Math.Sin(0.3 * i + 0.7 * j + k), 0, 1);
                    y[n] = Math.Clamp(x[n] + 0.15 * Math.Cos(1.1 * i - 0.4 * j + 2 * k), 0, 1);
                }
        return (tensor(x.Select(v => 2 * v - 1).ToArray(), [1, c, h, w]), tensor(y.Select(v => 2 * v - 1).ToArray(), [1, c, h, w]));
    }

    [Fact]
    public void Ssim_and_psnr_match_scikit_image()
    {
        // Reference: scikit-image 0.19.3 (Debian python3-skimage), structural_similarity(x, y, gaussian_weights=True,
        // sigma=1.5, use_sample_covariance=False, data_range=1.0, channel_axis=0) = 0.9144294056890501, and
        // -10·log10(mean((x − y)²)) = 19.638182357563537 on the same arrays.
        var (x, y) = Pair();
        Assert.Equal(0.9144294056890501, ReconstructionQuality.Ssim(y, x).item<double>(), 9);
        Assert.Equal(19.638182357563537, ReconstructionQuality.Psnr(y, x).item<double>(), 9);
        Assert.Equal(1.0, ReconstructionQuality.Ssim(x, x).item<double>(), 12);
    }

    [Fact]
    public void Ssim_of_flat_images_is_the_luminance_term_by_hand()
    {
        // Flat images have no variance: SSIM = (2ab + C1) / (a² + b² + C1) with a = 0.2, b = 0.6 (0..1) and C1 = 0.01².
        var a = full(new long[] { 2, 1, 9, 9 }, 2 * 0.2 - 1, float64);
        var b = full(new long[] { 2, 1, 9, 9 }, 2 * 0.6 - 1, float64);
        const double c1 = 1e-4;
        var ssim = ReconstructionQuality.Ssim(a, b).data<double>().ToArray();
        Assert.Equal(2, ssim.Length);
        Assert.All(ssim, v => Assert.Equal((2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1), v, 9));
        // A difference of 0.4 in 0..1 everywhere: PSNR = −10 log10(0.16).
        Assert.Equal(-10 * Math.Log10(0.16), ReconstructionQuality.Psnr(a, b)[0].item<double>(), 9);
    }
}

using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// How close a reconstruction is to its original, per image: PSNR and SSIM (Wang et al. 2004) on pixel values in
/// 0..1. SSIM uses the paper's constants (K1 0.01, K2 0.03, an 11×11 Gaussian window of σ 1.5) over the positions
/// where the window fits inside the image ("valid", as the paper's reference code), averaged over positions and
/// channels. Images smaller than the window are compared with a window of their own size.
/// </summary>
public static class ReconstructionQuality
{
    public const int Window = 11;
    public const double Sigma = 1.5;
    private const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    /// <summary>[B] PSNR in dB of images [B, C, H, W] in −1..1 (peak 1 after mapping to 0..1).</summary>
    public static Tensor Psnr(Tensor reconstruction, Tensor original)
    {
        using var scope = NewDisposeScope();
        var mse = ((reconstruction - original) / 2).to(float64).square().mean([1, 2, 3]);
        return (-10 * mse.clamp_min(1e-12).log10()).MoveToOuterDisposeScope();
    }

    /// <summary>The PSNR in dB of a mean squared error measured on pixels in −1..1 (as an autoencoder's training reports it).</summary>
    public static double PsnrOfMse(double mseInSignedRange) => -10 * Math.Log10(Math.Max(mseInSignedRange / 4, 1e-12));

    /// <summary>[B] mean SSIM of images [B, C, H, W] in −1..1.</summary>
    public static Tensor Ssim(Tensor reconstruction, Tensor original)
    {
        using var scope = NewDisposeScope();
        var x = ((reconstruction.to(float64) + 1) / 2).clamp(0, 1);
        var y = ((original.to(float64) + 1) / 2).clamp(0, 1);
        long channels = x.shape[1];
        int side = (int)Math.Min(Window, Math.Min(x.shape[2], x.shape[3]));
        var g = Gaussian(side, x.device);
        var kernel = (g.unsqueeze(1) * g.unsqueeze(0)).expand(channels, 1, side, side).contiguous();
        Tensor Blur(Tensor t) => nn.functional.conv2d(t, kernel, groups: channels);
        var mx = Blur(x);
        var my = Blur(y);
        var sxx = Blur(x * x) - mx * mx;
        var syy = Blur(y * y) - my * my;
        var sxy = Blur(x * y) - mx * my;
        var map = (2 * mx * my + C1) * (2 * sxy + C2) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
        return map.mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>The normalised 1-D Gaussian of <paramref name="side"/> taps and σ <see cref="Sigma"/>.</summary>
    internal static Tensor Gaussian(int side, Device device)
    {
        var taps = Enumerable.Range(0, side).Select(i => Math.Exp(-Math.Pow(i - (side - 1) / 2.0, 2) / (2 * Sigma * Sigma))).ToArray();
        double sum = taps.Sum();
        return tensor(taps.Select(t => t / sum).ToArray(), float64, device);
    }
}

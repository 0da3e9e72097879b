using Atelier.Imaging;
using SkiaSharp;
using static TorchSharp.torch;

namespace Atelier.Projection;

/// <summary>
/// A picture made ready for projection into a model: decoded (bounded by <see cref="ImageLimits"/>), fitted to the
/// model's square (transparent parts on white), grey for a grey model, and values in −1..1.
/// </summary>
public static class ProjectionTarget
{
    /// <summary>A pixel is a stroke when one of its channels differs from the background by more than this (of 255).</summary>
    public const int StrokeThreshold = 24;

    /// <summary>[1, C, R, R] in −1..1, and the picture's alpha [1, 1, R, R] in 0..1 when it has transparent pixels.</summary>
    public static (Tensor Image, Tensor? Alpha) Load(string path, int resolution, int channels, ImageFit fit)
    {
        using var decoded = ImageCodec.Decode(path);
        using var onWhite = ImageCodec.Fit(decoded, resolution, resolution, fit, SKColors.White);
        var bytes = new byte[channels * resolution * resolution];
        ImageCodec.ToBytes(onWhite, channels, bytes);
        var image = tensor(bytes.Select(ImageCodec.ToUnit).ToArray(), [1, channels, resolution, resolution]);
        if (!HasTransparency(decoded)) return (image, null);
        // Over white a pixel of alpha a is a·c + (1 − a)·255, over black a·c: their difference gives a.
        using var onBlack = ImageCodec.Fit(decoded, resolution, resolution, fit, SKColors.Black);
        var white = onWhite.GetPixelSpan();
        var black = onBlack.GetPixelSpan();
        var alpha = new float[resolution * resolution];
        for (int i = 0; i < alpha.Length; i++)
        {
            int diff = 0;
            for (int c = 0; c < 3; c++) diff = Math.Max(diff, white[4 * i + c] - black[4 * i + c]);
            alpha[i] = 1 - diff / 255f;
        }
        return (image, tensor(alpha, [1, 1, resolution, resolution]));
    }

    /// <summary>
    /// The strokes an artist drew (iGAN's sketch constraint): where the picture is opaque when it has transparency,
    /// else where it differs from its background (the median colour of its border) by more than
    /// <see cref="StrokeThreshold"/>; grown by one pixel so that a stroke's edges count too. [1, 1, R, R] of 0 and 1.
    /// </summary>
    public static Tensor Strokes(Tensor image, Tensor? alpha)
    {
        using var scope = NewDisposeScope();
        Tensor marked;
        if (alpha is not null)
        {
            marked = (alpha > 0.5).to(ScalarType.Float32);
        }
        else
        {
            var bytes = (image + 1) * 127.5;
            int side = (int)image.shape[3];
            var border = cat([bytes[0, .., 0, ..], bytes[0, .., side - 1, ..], bytes[0, .., .., 0], bytes[0, .., .., side - 1]], 1);
            var (sorted, _) = border.sort(1);
            var background = sorted[.., sorted.shape[1] / 2].reshape(1, -1, 1, 1);
            marked = ((bytes - background).abs().amax([1], keepdim: true) > StrokeThreshold).to(ScalarType.Float32);
        }
        var grown = nn.functional.max_pool2d(marked, 3, 1, 1);
        return grown.MoveToOuterDisposeScope();
    }

    /// <summary>A mask file [1, 1, R, R] in 0..1: its luminance, stretched to the model's square (white = constrains).</summary>
    public static Tensor LoadMask(string path, int resolution)
    {
        using var decoded = ImageCodec.Decode(path);
        using var fitted = ImageCodec.Fit(decoded, resolution, resolution, ImageFit.Stretch, SKColors.Black);
        var bytes = new byte[resolution * resolution];
        ImageCodec.ToBytes(fitted, 1, bytes);
        return tensor(bytes.Select(b => b / 255f).ToArray(), [1, 1, resolution, resolution]);
    }

    private static bool HasTransparency(SKBitmap bitmap)
    {
        if (bitmap.AlphaType == SKAlphaType.Opaque) return false;
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        var pixels = (rgba ?? bitmap).GetPixelSpan();
        for (int i = 3; i < pixels.Length; i += 4)
            if (pixels[i] != 255) return true;
        return false;
    }
}

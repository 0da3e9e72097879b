using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Data;

/// <summary>Converts an in-memory dataset to another resolution or channel count, once, up front.</summary>
public static class ImageSetResampler
{
    public static ImageSet Resample(ImageSet source, int resolution, int channels)
    {
        if (source.Resolution == resolution && source.Channels == channels) return source;
        int outBytes = channels * resolution * resolution;
        var pixels = new byte[(long)source.Count * outBytes];
        Parallel.For(0, source.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            using var bitmap = ToBitmap(source, i);
            using var fitted = source.Resolution == resolution ? null : ImageCodec.Fit(bitmap, resolution, resolution, ImageFit.Stretch, SKColors.Black);
            ImageCodec.ToBytes(fitted ?? bitmap, channels, pixels.AsSpan(i * outBytes, outBytes));
        });
        return new ImageSet(source.Name, pixels, source.Count, channels, resolution, source.Labels, source.Classes,
            $"{source.Fingerprint}-r{resolution}-c{channels}", source.Skipped);
    }

    private static SKBitmap ToBitmap(ImageSet source, int index)
    {
        int size = source.Resolution, plane = size * size;
        var bytes = source.Pixels.Slice(index * source.ImageBytes, source.ImageBytes);
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var px = bitmap.GetPixelSpan();
        for (int p = 0; p < plane; p++)
        {
            byte r = bytes[p], g = source.Channels == 3 ? bytes[plane + p] : r, b = source.Channels == 3 ? bytes[2 * plane + p] : r;
            px[4 * p] = r;
            px[4 * p + 1] = g;
            px[4 * p + 2] = b;
            px[4 * p + 3] = 255;
        }
        return bitmap;
    }
}

using Atelier.Imaging;
using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Sampling;

/// <summary>An animated GIF of a spherical walk between the latents of two seeds.</summary>
public static class InterpolationGif
{
    public const int MaxFrames = 600;

    public static byte[] Render(TrainedGenerator generator, long seedA, long seedB, int frames, int? label = null)
    {
        CheckFrames(frames);
        return Encode(generator, generator.Interpolate(seedA, seedB, frames, label), frames, $"walk from seed {seedA} to seed {seedB}{(label is int c ? $", class {c}" : "")}, {frames} frames");
    }

    /// <summary>A walk between two latents (a projection's and a seed's, say).</summary>
    public static byte[] Render(TrainedGenerator generator, float[] latentA, float[] latentB, int frames)
    {
        CheckFrames(frames);
        return Encode(generator, generator.Interpolate(latentA, latentB, frames), frames, $"walk between two given latents, {frames} frames");
    }

    private static void CheckFrames(int frames)
    {
        if (frames is < 2 or > MaxFrames) throw new OptionException($"--frames: {frames} is outside 2..{MaxFrames}.");
    }

    private static byte[] Encode(TrainedGenerator generator, float[] pixels, int frames, string what)
    {
        var m = generator.Model;
        int per = m.Channels * m.Resolution * m.Resolution;
        int size = Math.Max(m.Resolution, 128 / m.Resolution * m.Resolution);
        var bitmaps = new List<SKBitmap>();
        try
        {
            for (int i = 0; i < frames; i++)
            {
#pragma warning disable CA2000 // frame: disposed by its using; the fitted copy is owned by the list, which the finally below disposes
                using var frame = ImageCodec.FromPixels(pixels.AsSpan(i * per, per), m.Channels, m.Resolution, m.Resolution);
                bitmaps.Add(ImageCodec.Fit(frame, size, size, ImageFit.Stretch, SKColors.Black));
#pragma warning restore CA2000
            }
            return GifWriter.Encode(bitmaps, delayCentiseconds: 6, xmp: XmpPacket.Build(DigitalSource.TrainedAlgorithmicMedia, generator.Provenance(what)));
        }
        finally
        {
            foreach (var b in bitmaps) b.Dispose();
        }
    }
}

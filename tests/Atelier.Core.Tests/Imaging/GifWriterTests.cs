using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Core.Tests.Imaging;

public sealed class GifWriterTests
{
    [Fact]
    public void Frames_decode_back_to_their_palette_colours()
    {
        const int W = 160, H = 120;
        var colours = new[] { new SKColor(255, 0, 0), new SKColor(0, 0, 255), new SKColor(0, 200, 0) };
        var frames = colours.Select(c =>
        {
            var b = new SKBitmap(new SKImageInfo(W, H, SKColorType.Rgba8888, SKAlphaType.Premul));
            b.Erase(c);
            // Noise from 50 colours over half the pixels, so the LZW table fills and is cleared.
            for (int i = 0; i < W * H; i += 2)
            {
                int k = (int)((uint)(i * 2654435761u) >> 26) % 50;
                b.SetPixel(i % W, i / W, new SKColor((byte)(k * 5), (byte)(255 - k * 4), (byte)(k * 3)));
            }
            return b;
        }).ToList();
        var gif = GifWriter.Encode(frames, delayCentiseconds: 5);
        Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
        using var codec = SKCodec.Create(new SKMemoryStream(gif));
        Assert.Equal(3, codec.FrameCount);
        for (int f = 0; f < 3; f++)
        {
            using var decoded = new SKBitmap(new SKImageInfo(W, H, SKColorType.Rgba8888, SKAlphaType.Premul));
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(decoded.Info, decoded.GetPixels(), new SKCodecOptions(f)));
            Assert.Equal(colours[f], decoded.GetPixel(W - 1, H - 1));
            for (int i = 0; i < W * H; i++)
            {
                var expected = frames[f].GetPixel(i % W, i / W);
                var actual = decoded.GetPixel(i % W, i / W);
                Assert.True(Math.Abs(expected.Red - actual.Red) <= 8 && Math.Abs(expected.Green - actual.Green) <= 8 && Math.Abs(expected.Blue - actual.Blue) <= 8,
                    $"frame {f} pixel {i}: {expected} vs {actual}");
            }
        }
        foreach (var frame in frames) frame.Dispose();
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Core.Tests;

/// <summary>Temporary folders and hand-built image files for tests.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "atelier-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class TestImages
{
    /// <summary>A solid-colour RGBA bitmap with a gradient, so resizing has something to do.</summary>
    public static SKBitmap Gradient(int width, int height, byte alpha = 255)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128, alpha));
        return bitmap;
    }

    public static void WritePng(string path, SKBitmap bitmap) => System.IO.File.WriteAllBytes(path, ImageCodec.EncodePng(bitmap));

    public static void WriteEncoded(string path, SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        System.IO.File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A 24-bit bottom-up BMP (Skia decodes BMP but cannot encode it).</summary>
    public static byte[] Bmp(SKBitmap bitmap)
    {
        int w = bitmap.Width, h = bitmap.Height, stride = (3 * w + 3) & ~3;
        var bytes = new byte[54 + stride * h];
        void I32(int at, int v) => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), v);
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        I32(2, bytes.Length);
        I32(10, 54);
        I32(14, 40);
        I32(18, w);
        I32(22, h);
        bytes[26] = 1;
        bytes[28] = 24;
        I32(34, stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var c = bitmap.GetPixel(x, h - 1 - y);
                int at = 54 + y * stride + 3 * x;
                bytes[at] = c.Blue;
                bytes[at + 1] = c.Green;
                bytes[at + 2] = c.Red;
            }
        return bytes;
    }

    /// <summary>
    /// A PNG built chunk by chunk: colour type 0 (grey), 2 (RGB), 3 (palette), 4 (grey+alpha) or 6 (RGBA),
    /// bit depth 8 or 16, rows given as raw scanline bytes without filter bytes.
    /// </summary>
    public static byte[] RawPng(int width, int height, byte colorType, byte bitDepth, Func<int, byte[]> row, byte[]? palette = null)
    {
        using var ms = new MemoryStream();
        ms.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        Chunk(ms, "IHDR", ihdr);
        if (palette is not null) Chunk(ms, "PLTE", palette);
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < Math.Min(height, 4096); y++)
            {
                z.WriteByte(0);
                z.Write(row(y));
            }
        }
        Chunk(ms, "IDAT", raw.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, 0, 4, header, 4);
        s.Write(header);
        s.Write(data);
        uint crc = PngText.Crc32(header.AsSpan(4));
        crc = PngText.Crc32(data, crc) ^ 0xFFFFFFFFu;
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    public static string FixturePath(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}

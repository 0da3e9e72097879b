using SkiaSharp;

namespace Atelier.Imaging;

/// <summary>
/// Encodes frames as a looping animated GIF89a with one shared 256-colour palette (popularity of
/// 15-bit colours across all frames) and LZW compression; optionally with an XMP packet (XMP Specification Part 3,
/// 1.1.2: an application extension "XMP DataXMP" whose raw UTF-8 is closed by the 258-byte "magic trailer").
/// </summary>
public static class GifWriter
{
    public static byte[] Encode(IReadOnlyList<SKBitmap> frames, int delayCentiseconds = 8, int loops = 0, string? xmp = null)
    {
        if (frames.Count == 0) throw new ArgumentException("an animation needs at least one frame");
        int width = frames[0].Width, height = frames[0].Height;
        if (frames.Any(f => f.Width != width || f.Height != height)) throw new ArgumentException("all frames must have the same size");
        var palette = BuildPalette(frames);
        var lookup = BuildLookup(palette);
        using var output = new MemoryStream();
        void U16(int v) { output.WriteByte((byte)v); output.WriteByte((byte)(v >> 8)); }
        output.Write("GIF89a"u8);
        U16(width);
        U16(height);
        output.WriteByte(0xF7); // global colour table, 8-bit colour resolution, 256 entries
        output.WriteByte(0);
        output.WriteByte(0);
        for (int i = 0; i < 256; i++)
        {
            var c = i < palette.Count ? palette[i] : SKColors.Black;
            output.WriteByte(c.Red);
            output.WriteByte(c.Green);
            output.WriteByte(c.Blue);
        }
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([0x03, 0x01]);
        U16(loops);
        output.WriteByte(0);
        if (xmp is not null)
        {
            var packet = System.Text.Encoding.UTF8.GetBytes(xmp);
            if (packet.Contains((byte)0)) throw new ArgumentException("an XMP packet in a GIF cannot hold a NUL character");
            output.Write([0x21, 0xFF, 0x0B]);
            output.Write("XMP DataXMP"u8);
            output.Write(packet);
            output.WriteByte(0x01);
            for (int b = 0xFF; b >= 0; b--) output.WriteByte((byte)b);
            output.WriteByte(0);
        }
        var indices = new byte[width * height];
        foreach (var frame in frames)
        {
            output.Write([0x21, 0xF9, 0x04, 0x04]); // graphic control: dispose = do not dispose
            U16(delayCentiseconds);
            output.Write([0x00, 0x00]);
            output.WriteByte(0x2C);
            U16(0);
            U16(0);
            U16(width);
            U16(height);
            output.WriteByte(0);
            using var rgba = ToRgba(frame);
            var px = rgba.GetPixelSpan();
            for (int i = 0; i < indices.Length; i++)
                indices[i] = lookup[Key(px[4 * i], px[4 * i + 1], px[4 * i + 2])];
            output.WriteByte(8);
            WriteSubBlocks(output, Lzw(indices));
        }
        output.WriteByte(0x3B);
        return output.ToArray();
    }

    private static int Key(byte r, byte g, byte b) => (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;

    private static SKBitmap ToRgba(SKBitmap frame)
    {
        var copy = new SKBitmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(copy);
        canvas.Clear(SKColors.Black);
        canvas.DrawBitmap(frame, 0, 0);
        return copy;
    }

    private static List<SKColor> BuildPalette(IReadOnlyList<SKBitmap> frames)
    {
        var count = new long[32768];
        var sum = new long[32768 * 3];
        foreach (var frame in frames)
        {
            using var rgba = ToRgba(frame);
            var px = rgba.GetPixelSpan();
            for (int i = 0; i < px.Length; i += 4)
            {
                int k = Key(px[i], px[i + 1], px[i + 2]);
                count[k]++;
                sum[3 * k] += px[i];
                sum[3 * k + 1] += px[i + 1];
                sum[3 * k + 2] += px[i + 2];
            }
        }
        return Enumerable.Range(0, 32768).Where(k => count[k] > 0)
            .OrderByDescending(k => count[k]).ThenBy(k => k).Take(256)
            .Select(k => new SKColor((byte)(sum[3 * k] / count[k]), (byte)(sum[3 * k + 1] / count[k]), (byte)(sum[3 * k + 2] / count[k])))
            .ToList();
    }

    private static byte[] BuildLookup(List<SKColor> palette)
    {
        var lookup = new byte[32768];
        for (int k = 0; k < 32768; k++)
        {
            int r = ((k >> 10) << 3) + 4, g = (((k >> 5) & 31) << 3) + 4, b = ((k & 31) << 3) + 4;
            int best = 0, bestDistance = int.MaxValue;
            for (int i = 0; i < palette.Count; i++)
            {
                int dr = r - palette[i].Red, dg = g - palette[i].Green, db = b - palette[i].Blue;
                int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                if (d < bestDistance) { bestDistance = d; best = i; }
            }
            lookup[k] = (byte)best;
        }
        return lookup;
    }

    /// <summary>Variable-width LZW as GIF wants it (8-bit literals, codes up to 12 bits, LSB first).</summary>
    internal static byte[] Lzw(ReadOnlySpan<byte> data)
    {
        const int clear = 256, eof = 257, maxCode = 4095;
        var output = new List<byte>(data.Length);
        uint bits = 0;
        int bitCount = 0, width = 9, hi = eof, overflow = 512;
        var table = new Dictionary<int, int>(4096);
        void Write(int code)
        {
            bits |= (uint)code << bitCount;
            bitCount += width;
            while (bitCount >= 8)
            {
                output.Add((byte)bits);
                bits >>= 8;
                bitCount -= 8;
            }
        }
        // Returns false when the table filled and was cleared.
        bool IncrementHi()
        {
            hi++;
            if (hi == overflow)
            {
                width++;
                overflow <<= 1;
            }
            if (hi == maxCode)
            {
                Write(clear);
                width = 9;
                overflow = 512;
                hi = eof;
                table.Clear();
                return false;
            }
            return true;
        }
        Write(clear);
        if (data.Length == 0)
        {
            Write(eof);
        }
        else
        {
            int code = data[0];
            for (int i = 1; i < data.Length; i++)
            {
                int key = code << 8 | data[i];
                if (table.TryGetValue(key, out var existing))
                {
                    code = existing;
                    continue;
                }
                Write(code);
                code = data[i];
                if (IncrementHi()) table[key] = hi;
            }
            Write(code);
            IncrementHi();
            Write(eof);
        }
        if (bitCount > 0) output.Add((byte)bits);
        return output.ToArray();
    }

    private static void WriteSubBlocks(Stream output, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int n = Math.Min(255, data.Length - offset);
            output.WriteByte((byte)n);
            output.Write(data, offset, n);
        }
        output.WriteByte(0);
    }
}

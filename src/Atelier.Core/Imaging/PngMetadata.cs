using System.Buffers.Binary;

namespace Atelier.Imaging;

/// <summary>
/// Leaves out of a PNG, before the codec sees it, the chunks that do not decide its pixels: text (tEXt, zTXt, iTXt),
/// EXIF, time, physical size and every private or unknown ancillary chunk. The codec's cost for a large text chunk
/// grows with the square of its size (a 10 MB comment took 70 s to decode, 50 MB more than five minutes); this pass is
/// one linear walk. The chunks kept, copied as they are with their CRCs, are the critical ones (IHDR, PLTE, IDAT, IEND)
/// and the ancillary ones that change the pixels: transparency, gamma, chromaticities, sRGB, ICC profile, significant
/// bits, and APNG's frame control (the first frame is decoded). A PNG with nothing to leave out is returned as is; one
/// whose chunk lengths do not add up is returned as is too, for the codec to refuse.
/// </summary>
public static class PngMetadata
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private static readonly HashSet<string> PixelChunks = new(StringComparer.Ordinal)
    {
        "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "acTL", "fcTL", "fdAT",
    };

    public static byte[] WithoutMetadata(byte[] png)
    {
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature)) return png;
        var keep = new List<(int Offset, int Length)>();
        long dropped = 0;
        int offset = Signature.Length;
        while (offset + 12 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (length > int.MaxValue || offset + 12L + length > png.Length) return png;
            int total = 12 + (int)length;
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (PixelChunks.Contains(type)) keep.Add((offset, total));
            else dropped += total;
            offset += total;
            if (type == "IEND") break;
        }
        if (dropped == 0) return png;
        var result = new byte[Signature.Length + keep.Sum(k => k.Length)];
        Signature.CopyTo(result, 0);
        int at = Signature.Length;
        foreach (var (from, count) in keep)
        {
            Buffer.BlockCopy(png, from, result, at, count);
            at += count;
        }
        return result;
    }
}

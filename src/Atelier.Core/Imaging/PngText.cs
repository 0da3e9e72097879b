using System.Buffers.Binary;
using System.Text;

namespace Atelier.Imaging;

/// <summary>Reads and writes PNG text chunks (iTXt, UTF-8) that carry an image's provenance.</summary>
public static class PngText
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Returns <paramref name="png"/> with one iTXt chunk per entry inserted after IHDR.</summary>
    public static byte[] Insert(byte[] png, IReadOnlyDictionary<string, string> text)
    {
        RequireSignature(png);
        int ihdrEnd = 8 + 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8));
        using var output = new MemoryStream(png.Length + 256);
        output.Write(png, 0, ihdrEnd);
        foreach (var (keyword, value) in text)
        {
            if (keyword.Length is 0 or > 79) throw new ArgumentException($"PNG text keyword '{keyword}' must be 1-79 characters");
            // iTXt: keyword \0 compression-flag compression-method language \0 translated-keyword \0 text
            var body = new List<byte>();
            body.AddRange(Encoding.Latin1.GetBytes(keyword));
            body.AddRange(new byte[] { 0, 0, 0, 0, 0 });
            body.AddRange(Encoding.UTF8.GetBytes(value));
            WriteChunk(output, "iTXt", body.ToArray());
        }
        output.Write(png, ihdrEnd, png.Length - ihdrEnd);
        return output.ToArray();
    }

    /// <summary>All tEXt and iTXt entries of a PNG.</summary>
    public static Dictionary<string, string> Read(byte[] png)
    {
        RequireSignature(png);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int offset = 8;
        while (offset + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length < 0 || offset + 12 + length > png.Length) break;
            var data = png.AsSpan(offset + 8, length);
            if (type == "tEXt")
            {
                int zero = data.IndexOf((byte)0);
                if (zero > 0) result[Encoding.Latin1.GetString(data[..zero])] = Encoding.Latin1.GetString(data[(zero + 1)..]);
            }
            else if (type == "iTXt")
            {
                int zero = data.IndexOf((byte)0);
                if (zero > 0 && data.Length > zero + 3 && data[zero + 1] == 0)
                {
                    var rest = data[(zero + 3)..];
                    int languageEnd = rest.IndexOf((byte)0);
                    var afterLanguage = rest[(languageEnd + 1)..];
                    int translatedEnd = afterLanguage.IndexOf((byte)0);
                    result[Encoding.Latin1.GetString(data[..zero])] = Encoding.UTF8.GetString(afterLanguage[(translatedEnd + 1)..]);
                }
            }
            if (type == "IEND") break;
            offset += 12 + length;
        }
        return result;
    }

    /// <summary><paramref name="png"/> without its tEXt and iTXt chunks of <paramref name="keyword"/>; every other byte as it was.</summary>
    public static byte[] Without(byte[] png, string keyword)
    {
        RequireSignature(png);
        var name = Encoding.Latin1.GetBytes(keyword + "\0");
        using var output = new MemoryStream(png.Length);
        output.Write(png, 0, 8);
        int offset = 8;
        while (offset + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (length < 0 || offset + 12 + length > png.Length) break;
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            bool drop = type is "tEXt" or "iTXt" && png.AsSpan(offset + 8, length).StartsWith(name);
            if (!drop) output.Write(png, offset, 12 + length);
            offset += 12 + length;
            if (type == "IEND") break;
        }
        if (offset < png.Length) output.Write(png, offset, png.Length - offset);
        return output.ToArray();
    }

    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0xFFFFFFFFu)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);
        uint crc = Crc32(header[4..]);
        crc = Crc32(data, crc) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(tail);
    }

    private static void RequireSignature(byte[] png)
    {
        if (png.Length < 8 + 25 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG file");
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}

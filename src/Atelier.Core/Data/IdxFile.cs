using System.Buffers.Binary;
using System.IO.Compression;

namespace Atelier.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: magic (0, 0, type, rank), big-endian dimensions, then data.
/// Reads raw or gzip-compressed files; only unsigned-byte data (type 0x08) is used by image datasets.
/// </summary>
public sealed record IdxFile(byte DataType, int[] Dimensions, byte[] Data)
{
    public const byte UnsignedByte = 0x08;

    public static IdxFile Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var stream = IsGzip(path) ? (Stream)new GZipStream(file, CompressionMode.Decompress) : file;
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not IdxFormatException)
        {
            throw new IdxFormatException(path, e.Message);
        }
    }

    public static IdxFile Read(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(stream, magic, name);
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(name, $"bad magic {magic[0]:x2}{magic[1]:x2}{magic[2]:x2}{magic[3]:x2}: not an IDX file");
        byte type = magic[2];
        int rank = magic[3];
        if (type != UnsignedByte) throw new IdxFormatException(name, $"data type 0x{type:x2} is not supported (only unsigned byte, 0x08)");
        if (rank is < 1 or > 4) throw new IdxFormatException(name, $"rank {rank} is not supported");
        var dims = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        long total = 1;
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(stream, dim, name);
            dims[i] = (int)BinaryPrimitives.ReadUInt32BigEndian(dim);
            total *= dims[i];
        }
        if (total > int.MaxValue) throw new IdxFormatException(name, "too large");
        var data = new byte[total];
        ReadExactly(stream, data, name);
        return new IdxFile(type, dims, data);
    }

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0) throw new IdxFormatException(name, $"truncated: expected {buffer.Length} more bytes, got {read}");
            read += n;
        }
    }
}

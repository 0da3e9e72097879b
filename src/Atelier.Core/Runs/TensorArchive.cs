using System.Runtime.InteropServices;
using System.Text;
using Atelier.Imaging;
using static TorchSharp.torch;

namespace Atelier.Runs;

/// <summary>
/// The weight file of format-1 checkpoints (before safetensors), still read so that older runs load, resume and
/// reproduce: named tensors in a plain, code-free binary layout —
/// "ATLT", version, count, then per tensor: name, dtype, rank, dims, byte length, little-endian data.
/// </summary>
public static class TensorArchive
{
    private const uint Magic = 0x544C5441; // "ATLT"
    private const int Version = 1;

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors) =>
        AtomicFile.Write(path, stream => Write(stream, tensors));

    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(tensors.Count);
        foreach (var (name, value) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var t = value.detach().cpu().contiguous();
            w.Write(name);
            w.Write((int)t.dtype);
            w.Write((int)t.shape.Length);
            foreach (var d in t.shape) w.Write(d);
            var bytes = t.dtype switch
            {
                ScalarType.Float32 => MemoryMarshal.AsBytes(t.data<float>().ToArray().AsSpan()).ToArray(),
                ScalarType.Float64 => MemoryMarshal.AsBytes(t.data<double>().ToArray().AsSpan()).ToArray(),
                ScalarType.Int64 => MemoryMarshal.AsBytes(t.data<long>().ToArray().AsSpan()).ToArray(),
                ScalarType.Int32 => MemoryMarshal.AsBytes(t.data<int>().ToArray().AsSpan()).ToArray(),
                ScalarType.Byte => t.data<byte>().ToArray(),
                _ => throw new NotSupportedException($"tensor '{name}' has dtype {t.dtype}, which archives do not store"),
            };
            w.Write(bytes.LongLength);
            w.Write(bytes);
        }
    }

    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (EndOfStreamException)
        {
            throw new CorruptCheckpointException($"{path}: truncated weight file");
        }
        // A damaged structure under a matching hash (sizes, ranks or shapes that cannot be): named, never a crash.
        catch (Exception e) when (e is OverflowException or ArgumentException or InvalidOperationException or IndexOutOfRangeException
                                      or OutOfMemoryException or System.Runtime.InteropServices.ExternalException)
        {
            throw new CorruptCheckpointException($"{path}: not a readable weight file ({e.Message}).", e);
        }
    }

    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (r.ReadUInt32() != Magic) throw new CorruptCheckpointException("not an Atelier weight file (bad magic)");
        int version = r.ReadInt32();
        if (version != Version) throw new CorruptCheckpointException($"weight file version {version} is not supported (this Atelier reads {Version})");
        int count = r.ReadInt32();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var dtype = (ScalarType)r.ReadInt32();
            int rank = r.ReadInt32();
            var shape = new long[rank];
            for (int d = 0; d < rank; d++) shape[d] = r.ReadInt64();
            long length = r.ReadInt64();
            var bytes = r.ReadBytes(checked((int)length));
            if (bytes.Length != length) throw new EndOfStreamException();
            result[name] = dtype switch
            {
                ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape),
                ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), shape),
                ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape),
                ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), shape),
                ScalarType.Byte => tensor(bytes, shape),
                _ => throw new CorruptCheckpointException($"tensor '{name}' has unsupported dtype {dtype}"),
            };
        }
        return result;
    }
}

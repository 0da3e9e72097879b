using System.Text;

namespace Atelier.Metrics;

/// <summary>
/// Rewrites an ONNX model so that the first dimension of its graph inputs and outputs is a symbolic batch size
/// instead of a fixed 1, which lets ONNX Runtime run it on batches. Only those shape fields change; every other
/// byte of the protobuf (weights, nodes) is copied as it is.
/// </summary>
public static class OnnxBatchDimension
{
    // Field numbers from onnx.proto: ModelProto.graph = 7; GraphProto.input = 11, output = 12, value_info = 13;
    // ValueInfoProto.type = 2; TypeProto.tensor_type = 1; TypeProto.Tensor.shape = 2; TensorShapeProto.dim = 1;
    // Dimension.dim_value = 1 (int64), dim_param = 2 (string).
    private const int WireVarint = 0, Wire64 = 1, WireLength = 2, Wire32 = 5;

    public static byte[] MakeBatchSymbolic(byte[] model, string name = "N")
    {
        var output = new MemoryStream(model.Length + 64);
        int rewritten = 0;
        RewriteMessage(model, output, path: 0, name, ref rewritten);
        if (rewritten == 0) throw new InvalidDataException("the ONNX model has no graph input or output with a fixed first dimension of 1.");
        return output.ToArray();
    }

    // path: 0 model, 1 graph, 2 value info, 3 type, 4 tensor type, 5 shape
    private static void RewriteMessage(ReadOnlySpan<byte> message, Stream output, int path, string name, ref int rewritten)
    {
        int pos = 0;
        bool firstDim = true;
        while (pos < message.Length)
        {
            int start = pos;
            ulong key = ReadVarint(message, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case WireVarint: ReadVarint(message, ref pos); break;
                case Wire64: pos += 8; break;
                case Wire32: pos += 4; break;
                case WireLength:
                    {
                        int length = checked((int)ReadVarint(message, ref pos));
                        var body = message.Slice(pos, length);
                        pos += length;
                        int? child = (path, field) switch
                        {
                            (0, 7) => 1,
                            (1, 11 or 12 or 13) => 2,
                            (2, 2) => 3,
                            (3, 1) => 4,
                            (4, 2) => 5,
                            _ => null,
                        };
                        if (path == 5 && field == 1)
                        {
                            if (firstDim && IsFixedOne(body))
                            {
                                var dim = new MemoryStream();
                                WriteVarint(dim, (2 << 3) | WireLength);
                                var bytes = Encoding.UTF8.GetBytes(name);
                                WriteVarint(dim, (ulong)bytes.Length);
                                dim.Write(bytes);
                                WriteVarint(output, key);
                                WriteVarint(output, (ulong)dim.Length);
                                output.Write(dim.GetBuffer(), 0, (int)dim.Length);
                                rewritten++;
                            }
                            else
                            {
                                output.Write(message[start..pos]);
                            }
                            firstDim = false;
                            continue;
                        }
                        if (child is int c)
                        {
                            var inner = new MemoryStream(body.Length + 16);
                            RewriteMessage(body, inner, c, name, ref rewritten);
                            WriteVarint(output, key);
                            WriteVarint(output, (ulong)inner.Length);
                            output.Write(inner.GetBuffer(), 0, (int)inner.Length);
                            continue;
                        }
                        break;
                    }
                default: throw new InvalidDataException($"the ONNX model is not valid protobuf (wire type {wire} at byte {start}).");
            }
            if (pos > message.Length) throw new InvalidDataException("the ONNX model is truncated.");
            output.Write(message[start..pos]);
        }
    }

    private static bool IsFixedOne(ReadOnlySpan<byte> dimension)
    {
        int pos = 0;
        bool one = false;
        while (pos < dimension.Length)
        {
            ulong key = ReadVarint(dimension, ref pos);
            if (key == ((1 << 3) | WireVarint)) one = ReadVarint(dimension, ref pos) == 1;
            else return false;
        }
        return one;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new InvalidDataException("the ONNX model is truncated.");
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("the ONNX model has a malformed varint.");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}

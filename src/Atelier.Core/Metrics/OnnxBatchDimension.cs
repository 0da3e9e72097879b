using Google.Protobuf;
using Onnx;

namespace Atelier.Metrics;

/// <summary>
/// Rewrites an ONNX model so that the first dimension of its graph inputs, value infos and outputs is a symbolic
/// batch size instead of a fixed 1, which lets ONNX Runtime run it on batches (OnnxSharp's SetDim; weights and nodes
/// are not touched).
/// </summary>
public static class OnnxBatchDimension
{
    public static byte[] MakeBatchSymbolic(byte[] model, string name = "N")
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"not an ONNX model ({e.Message})", e);
        }
        var graph = proto.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        bool fixedBatch = graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(graph.Output)
            .Any(v => v.Type?.TensorType?.Shape?.Dim is { Count: > 0 } dims && dims[0].DimValue == 1);
        if (!fixedBatch) throw new InvalidDataException("the ONNX model has no graph input or output with a fixed first dimension of 1.");
        graph.SetDim(dimIndex: 0, DimParamOrValue.New(name));
        return proto.ToByteArray();
    }
}

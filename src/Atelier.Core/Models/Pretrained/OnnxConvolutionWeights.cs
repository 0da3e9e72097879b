using Google.Protobuf;
using Onnx;

namespace Atelier.Models.Pretrained;

/// <summary>
/// The weights of an ONNX convolutional network, read with OnnxSharp (the ONNX protobuf schema on Google.Protobuf):
/// for each Conv and BatchNormalization node in graph order, its kind, its attributes and its initialisers.
/// </summary>
public sealed class OnnxConvolutionWeights
{
    private OnnxConvolutionWeights(IReadOnlyList<Layer> layers) => Layers = layers;

    /// <summary>Conv and BatchNormalization nodes, in the order the graph lists them.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Reads <paramref name="path"/>; a file that is not an ONNX model fails naming it.</summary>
    public static OnnxConvolutionWeights Read(string path)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({e.Message})", e);
        }
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var layers = new List<Layer>();
        foreach (var node in model.Graph.Node.Where(n => n.OpType is "Conv" or "BatchNormalization"))
        {
            var tensors = node.Input.Skip(1).Select(name => initializers.TryGetValue(name, out var t) ? t
                : throw new InvalidDataException($"{path}: {node.OpType} node '{node.Name}' takes '{name}', which is not an initialiser")).Select(Values).ToList();
            var ints = node.Attribute.Where(a => a.Type == AttributeProto.Types.AttributeType.Ints).ToDictionary(a => a.Name, a => a.Ints.ToArray());
            var floats = node.Attribute.Where(a => a.Type == AttributeProto.Types.AttributeType.Float).ToDictionary(a => a.Name, a => a.F);
            layers.Add(new Layer(node.OpType, node.Name, tensors, ints, floats));
        }
        return new OnnxConvolutionWeights(layers);
    }

    private static (long[] Shape, float[] Data) Values(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new InvalidDataException($"initialiser '{t.Name}' is not float32");
        float[] data = t.FloatData.Count > 0 ? [.. t.FloatData] : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        if (data.Length != count) throw new InvalidDataException($"initialiser '{t.Name}' has {data.Length} values for shape [{string.Join(", ", t.Dims)}]");
        return ([.. t.Dims], data);
    }

    /// <summary>One node: "Conv" (weight[, bias]) or "BatchNormalization" (scale, bias, mean, variance).</summary>
    /// <param name="OpType">The ONNX operator.</param>
    /// <param name="Name">The node's name.</param>
    /// <param name="Tensors">Its initialiser inputs after the data input, as shape and values.</param>
    /// <param name="Ints">Its integer-list attributes (kernel_shape, strides, pads).</param>
    /// <param name="Floats">Its float attributes (epsilon).</param>
    public sealed record Layer(string OpType, string Name, IReadOnlyList<(long[] Shape, float[] Data)> Tensors,
        IReadOnlyDictionary<string, long[]> Ints, IReadOnlyDictionary<string, float> Floats);
}

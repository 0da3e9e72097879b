using Google.Protobuf;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Atelier.Export;

/// <summary>
/// Builds an ONNX graph (opset <see cref="Opset"/>) with the ONNX protobuf schema of OnnxSharp: inputs with a symbolic
/// batch dimension, initialisers copied from tensors, and the operators Atelier's generators are made of. Every value is
/// named by its node, so a graph reads in the order it was built. Batch norm is folded into the layer before it.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int Opset = 17;
    public const string Batch = "N";

    private readonly GraphProto _graph = new() { Name = "generator" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private string Name(string hint)
    {
        var name = hint;
        for (int i = 1; !_names.Add(name); i++) name = $"{hint}_{i}";
        return name;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, IEnumerable<long?> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = Batch });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    /// <summary>A graph input [N, dims...] (N symbolic).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        _graph.Input.Add(Value(Name(name), type, [null, .. dims.Select(d => (long?)d)]));
        return name;
    }

    /// <summary>Marks <paramref name="value"/> as the graph output [N, dims...] named <paramref name="name"/>.</summary>
    public void Output(string value, string name, params long[] dims)
    {
        Node("Identity", [value], name);
        _graph.Output.Add(Value(name, TensorProto.Types.DataType.Float, [null, .. dims.Select(d => (long?)d)]));
    }

    /// <summary>An initialiser with the values of <paramref name="tensor"/> (float32 or int64, copied to the CPU).</summary>
    public string Constant(Tensor tensor, string hint)
    {
        using var scope = NewDisposeScope();
        var t = tensor.detach().cpu().contiguous();
        var proto = new TensorProto { Name = Name(hint) };
        proto.Dims.AddRange(t.shape);
        if (t.dtype == ScalarType.Int64)
        {
            proto.DataType = (int)TensorProto.Types.DataType.Int64;
            proto.Int64Data.AddRange(t.data<long>().ToArray());
        }
        else
        {
            proto.DataType = (int)TensorProto.Types.DataType.Float;
            var values = t.to_type(ScalarType.Float32).data<float>().ToArray();
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            proto.RawData = ByteString.CopyFrom(bytes); // little-endian, as ONNX's raw_data is
        }
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    public string Constant(long[] values, string hint) => Constant(tensor(values, ScalarType.Int64), hint);

    /// <summary>A node with one output; attributes are int, long, float, string or long[] values.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, string hint, params (string Name, object Value)[] attributes) =>
        NodeN(op, inputs, [hint], attributes)[0];

    public string[] NodeN(string op, IReadOnlyList<string> inputs, IReadOnlyList<string> hints, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Name(hints[0] + "_" + op.ToLowerInvariant()) };
        node.Input.AddRange(inputs);
        var outputs = hints.Select(Name).ToArray();
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            var attribute = new AttributeProto { Name = name };
            switch (value)
            {
                case int i: attribute.Type = AttributeProto.Types.AttributeType.Int; attribute.I = i; break;
                case long l: attribute.Type = AttributeProto.Types.AttributeType.Int; attribute.I = l; break;
                case float f: attribute.Type = AttributeProto.Types.AttributeType.Float; attribute.F = f; break;
                case double d: attribute.Type = AttributeProto.Types.AttributeType.Float; attribute.F = (float)d; break;
                case string s: attribute.Type = AttributeProto.Types.AttributeType.String; attribute.S = ByteString.CopyFromUtf8(s); break;
                case long[] ls: attribute.Type = AttributeProto.Types.AttributeType.Ints; attribute.Ints.AddRange(ls); break;
                default: throw new ArgumentException($"attribute {name}: {value.GetType().Name} is not an ONNX attribute type");
            }
            node.Attribute.Add(attribute);
        }
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>
    /// A 2-D convolution or transposed convolution with weight <paramref name="weight"/> (the effective one, spectral
    /// normalisation applied) and bias, with the batch norm that follows it folded in when given.
    /// </summary>
    public string Convolution(string x, Tensor weight, Tensor? bias, bool transposed, long[] stride, long[] padding, long[] outputPadding, long[] dilation, long groups,
        BatchNorm2d? norm, string hint)
    {
        if (groups != 1) throw new NotSupportedException($"{hint}: grouped convolutions are not exported");
        using var scope = NewDisposeScope();
        // ConvTranspose weights are [in, out, k, k], Conv weights [out, in, k, k]: the output channel is dim 1 or 0.
        int outDim = transposed ? 1 : 0;
        var w = weight.detach().to_type(ScalarType.Float64);
        var b = bias?.detach().to_type(ScalarType.Float64) ?? zeros(w.shape[outDim], ScalarType.Float64, w.device);
        if (norm is not null) (w, b) = Fold(w, b, outDim, norm);
        var pads = padding.Concat(padding).ToArray();
        (string, object)[] common = [("kernel_shape", w.shape[2..]), ("strides", stride), ("pads", pads), ("dilations", dilation), ("group", groups)];
        var inputs = new[] { x, Constant(w, hint + "_weight"), Constant(b, hint + "_bias") };
        return transposed
            ? Node("ConvTranspose", inputs, hint, [.. common, ("output_padding", outputPadding)])
            : Node("Conv", inputs, hint, common);
    }

    public string Convolution(string x, Convolution conv, BatchNorm2d? norm, string hint) =>
        Convolution(x, conv.weight!, conv.bias, conv.transposed, conv.stride, conv.padding ?? [0, 0], conv.output_padding ?? [0, 0], conv.dilation, conv.groups, norm, hint);

    /// <summary>A dense layer, [N, in] → [N, out], with a batch norm of C channels that follows
    /// its output viewed as [N, channels, ...] folded in when given.</summary>
    public string Dense(string x, Tensor weight, Tensor? bias, BatchNorm2d? norm, string hint)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().to_type(ScalarType.Float64);
        var b = bias?.detach().to_type(ScalarType.Float64) ?? zeros(w.shape[0], ScalarType.Float64, w.device);
        if (norm is not null)
        {
            long channels = norm.num_features, per = w.shape[0] / channels;
            var (scale, shift) = NormAffine(norm);
            var s = scale.repeat_interleave(per);
            w = w * s.unsqueeze(1);
            b = b * s + shift.repeat_interleave(per);
        }
        return Node("Gemm", [x, Constant(w, hint + "_weight"), Constant(b, hint + "_bias")], hint, ("transB", 1));
    }

    /// <summary>Eval-mode batch norm as y = scale·x + shift per channel.</summary>
    private static (Tensor Scale, Tensor Shift) NormAffine(BatchNorm2d norm)
    {
        var mean = norm.running_mean!.to_type(ScalarType.Float64);
        var variance = norm.running_var!.to_type(ScalarType.Float64);
        var gamma = norm.weight?.detach().to_type(ScalarType.Float64) ?? ones_like(mean);
        var beta = norm.bias?.detach().to_type(ScalarType.Float64) ?? zeros_like(mean);
        var scale = gamma / (variance + norm.eps).sqrt();
        return (scale, beta - mean * scale);
    }

    private static (Tensor, Tensor) Fold(Tensor w, Tensor b, int outDim, BatchNorm2d norm)
    {
        var (scale, shift) = NormAffine(norm);
        var shape = Enumerable.Repeat(1L, (int)w.dim()).ToArray();
        shape[outDim] = -1;
        return (w * scale.view(shape), b * scale + shift);
    }

    public string Relu(string x, string hint) => Node("Relu", [x], hint);

    public string LeakyRelu(string x, double slope, string hint) => Node("LeakyRelu", [x], hint, ("alpha", slope));

    public string Tanh(string x, string hint) => Node("Tanh", [x], hint);

    public string Sigmoid(string x, string hint) => Node("Sigmoid", [x], hint);

    public string Mul(string a, string b, string hint) => Node("Mul", [a, b], hint);

    /// <summary>x·sigmoid(x).</summary>
    public string Silu(string x, string hint) => Mul(x, Sigmoid(x, hint), hint);

    /// <summary>GLU over the channels: the first half times the sigmoid of the second.</summary>
    public string Glu(string x, string hint)
    {
        var halves = NodeN("Split", [x], [hint + "_a", hint + "_b"], ("axis", 1L));
        return Mul(halves[0], Sigmoid(halves[1], hint), hint);
    }

    public string Reshape(string x, long[] shape, string hint) => Node("Reshape", [x, Constant(shape, hint + "_shape")], hint);

    /// <summary>Nearest-neighbour upsampling by integer factors (as PyTorch's nearest: floor of the asymmetric source coordinate).</summary>
    public string UpsampleNearest(string x, double[] factors, string hint)
    {
        var scales = Constant(tensor(new float[] { 1, 1 }.Concat(factors.Select(f => (float)f)).ToArray()), hint + "_scales");
        return Node("Resize", [x, "", scales], hint, ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"));
    }

    /// <summary>Average pooling with kernel = stride = <paramref name="size"/>.</summary>
    public string AveragePool(string x, long size, string hint) => Node("AveragePool", [x], hint, ("kernel_shape", new[] { size, size }), ("strides", new[] { size, size }));

    /// <summary>The finished model, with metadata (key → value) such as the weights' SHA-256.</summary>
    public byte[] ToModel(IReadOnlyDictionary<string, string> metadata, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Atelier",
            ProducerVersion = Platform.TorchRuntime.AtelierVersion,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }
}

/// <summary>A generator that can write itself into an ONNX graph: latents (and classes) in, images in [-1, 1] out.</summary>
public interface IOnnxExportable
{
    /// <summary>Emits the eval-mode forward pass on <paramref name="latents"/> ([N, latent] float; <paramref name="classes"/>
    /// [N] int64 for a class-conditional generator, else null) and returns the name of the [N, C, R, R] output.</summary>
    string EmitOnnx(OnnxGraphBuilder graph, string latents, string? classes);
}

/// <summary>Writes a <see cref="TorchSharp.Modules.Sequential"/> of Atelier's layer set into a graph, folding each batch norm into the layer before it.</summary>
public static class OnnxSequential
{
    public static string Emit(OnnxGraphBuilder graph, Sequential layers, string x)
    {
        var children = layers.named_children().ToList();
        for (int i = 0; i < children.Count; i++)
        {
            var (name, module) = children[i];
            var norm = i + 1 < children.Count ? children[i + 1].module as BatchNorm2d : null;
            switch (module)
            {
                case Convolution conv:
                    x = graph.Convolution(x, conv, norm, name);
                    break;
                case Models.SpectralConv2d conv:
                    x = graph.Convolution(x, conv.EvalWeight(), conv.BiasValue, transposed: false, [conv.Stride, conv.Stride], [conv.Padding, conv.Padding], [0, 0], [1, 1], 1, norm, name);
                    break;
                case Linear dense:
                    if (norm is not null) throw new NotSupportedException($"{name}: a batch norm right after a dense layer is not exported");
                    x = graph.Dense(x, dense.weight!, dense.bias, null, name);
                    break;
                case BatchNorm2d:
                    throw new NotSupportedException($"{name}: a batch norm that does not follow a convolution is not exported");
                case ReLU:
                    x = graph.Relu(x, name);
                    break;
                case LeakyReLU leaky:
                    x = graph.LeakyRelu(x, leaky.negative_slope, name);
                    break;
                case Tanh:
                    x = graph.Tanh(x, name);
                    break;
                case Sigmoid:
                    x = graph.Sigmoid(x, name);
                    break;
                case GLU glu when glu.dim == 1:
                    x = graph.Glu(x, name);
                    break;
                case Unflatten unflatten when unflatten.dim == 1:
                    x = graph.Reshape(x, [-1, .. unflatten.unflattened_size], name);
                    break;
                case Upsample upsample when upsample.mode == UpsampleMode.Nearest && upsample.scale_factor.Length == 2:
                    x = graph.UpsampleNearest(x, upsample.scale_factor.ToArray(), name);
                    break;
                default:
                    throw new NotSupportedException($"{name}: {module.GetType().Name} is not exported to ONNX");
            }
            if (norm is not null) i++;
        }
        return x;
    }
}

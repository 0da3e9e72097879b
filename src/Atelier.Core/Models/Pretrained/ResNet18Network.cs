using Atelier.Metrics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Pretrained;

/// <summary>
/// The ImageNet ResNet18 that Atelier ships as ONNX (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, a CNTK
/// export), as a TorchSharp module with its initialisers copied in, so that its features are differentiable with
/// respect to the image. It computes what the ONNX graph computes, including the export's asymmetric padding (the stem
/// and every stride-2 layer pad one more row and column before than after) and its stages of 2, 2, 2 and 3 basic
/// blocks (the file has 22 convolutions and 9 residual additions: one block more in the last stage than He 2016's
/// ResNet18), at any input size. Frozen: its weights
/// never require gradients and it stays in eval mode. Input: <see cref="Preprocess"/>d images.
/// </summary>
public sealed class ResNet18Network : Module<Tensor, Tensor>
{
    /// <summary>Feature maps of stem+layer1 … layer4.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512];

    /// <summary>Basic blocks per stage, as the shipped ONNX graph has them.</summary>
    public static IReadOnlyList<int> BlocksPerStage { get; } = [2, 2, 2, 3];

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ModuleList<ResNetBasicBlock> layer1, layer2, layer3, layer4;
    private readonly Tensor mean_image;

    private ResNet18Network(float[] meanImage) : base(nameof(ResNet18Network))
    {
        conv1 = Conv2d(3, 64, 7, stride: 2, bias: false);
        bn1 = BatchNorm2d(64);
        layer1 = Layer(64, 64, 1, BlocksPerStage[0]);
        layer2 = Layer(64, 128, 2, BlocksPerStage[1]);
        layer3 = Layer(128, 256, 2, BlocksPerStage[2]);
        layer4 = Layer(256, 512, 2, BlocksPerStage[3]);
        mean_image = tensor(meanImage, new long[] { 1, 3, ResNet18Features.Size, ResNet18Features.Size });
        RegisterComponents();
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    /// <summary>
    /// The network with the ONNX file's weights (default: the copy beside the Atelier assemblies). Every Conv and
    /// BatchNormalization node is matched, in graph order, to this module's layer of the same role, and its shapes and
    /// strides are checked, so a different file fails here rather than computing something else.
    /// </summary>
    public static ResNet18Network Load(string? modelDirectory = null)
    {
        var (model, prep) = ResNet18Features.ModelFiles(modelDirectory, "resnet18");
        var network = new ResNet18Network(ResNet18Features.MeanImage(prep));
        try
        {
            network.CopyWeights(OnnxConvolutionWeights.Read(model), model);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    /// <summary>
    /// RGB images with values 0..255 [B, 3, H, W] as the network expects them: BGR minus the package's mean image
    /// (ResNetPreprocess.onnx), which is 224×224; at any other size it is resized to H×W by area averaging.
    /// </summary>
    public Tensor Preprocess(Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        var bgr = rgb255.flip(1);
        var mean = rgb255.shape[2] == ResNet18Features.Size && rgb255.shape[3] == ResNet18Features.Size
            ? mean_image
            : functional.interpolate(mean_image, [rgb255.shape[2], rgb255.shape[3]], mode: InterpolationMode.Area);
        return (bgr - mean).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Preprocess"/> of images in −1..1 (a generator's output).</summary>
    public Tensor PreprocessSigned(Tensor rgb) => Preprocess((rgb + 1) * 127.5);

    /// <summary>The outputs of stem+layer1, layer2, layer3 and layer4 (strides 4, 8, 16, 32); with
    /// <paramref name="count"/> below 4, only the first ones, and the later stages are not computed.</summary>
    public Tensor[] Stages(Tensor preprocessed, int count = 4)
    {
        if (count is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(count), count, "ResNet18 has 4 stages");
        var layers = Layers(preprocessed, count);
        layers[0].Dispose();
        return layers[1..];
    }

    /// <summary>Channels of <see cref="StyleLayers"/>' maps: the stem, then the four stages.</summary>
    public static IReadOnlyList<int> StyleLayerChannels { get; } = [64, 64, 128, 256, 512];

    /// <summary>The stem's activation (convolution, batch norm, ReLU; stride 2, before max pooling) and the outputs of
    /// layer1 … layer4 (the last block of each; strides 4, 8, 16, 32): the layers style transfer matches.</summary>
    public Tensor[] StyleLayers(Tensor preprocessed) => Layers(preprocessed, 4);

    /// <summary>The stem's activation, then the outputs of the first <paramref name="count"/> stages.</summary>
    private Tensor[] Layers(Tensor preprocessed, int count)
    {
        using var scope = NewDisposeScope();
        var x = functional.pad(preprocessed, [3, 2, 3, 2]);
        var stem = functional.relu(bn1.forward(conv1.forward(x)));
        x = functional.max_pool2d(functional.pad(stem, [1, 0, 1, 0], value: double.NegativeInfinity), 3, 2);
        var layers = new Tensor[count + 1];
        layers[0] = stem;
        var stages = new[] { layer1, layer2, layer3, layer4 };
        for (int i = 0; i < count; i++)
        {
            foreach (var block in stages[i]) x = block.forward(x);
            layers[i + 1] = x;
        }
        foreach (var l in layers) l.MoveToOuterDisposeScope();
        return layers;
    }

    /// <summary>The 512-d global average of layer4 [B, 512]; at 224×224 exactly the ONNX graph's output.</summary>
    public override Tensor forward(Tensor preprocessed)
    {
        using var scope = NewDisposeScope();
        return Stages(preprocessed)[3].mean([2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>Frozen: training mode is never entered (its batch norm keeps ImageNet's statistics).</summary>
    public override void train(bool train = true) => base.train(false);

    private static ModuleList<ResNetBasicBlock> Layer(int input, int output, int stride, int blocks)
    {
        var layer = new ModuleList<ResNetBasicBlock>();
        for (int i = 0; i < blocks; i++) layer.Add(i == 0 ? new ResNetBasicBlock(input, output, stride) : new ResNetBasicBlock(output, output, 1));
        return layer;
    }

    /// <summary>(conv, batch norm) pairs in the order the ONNX graph lists its nodes: the stem, then per block its
    /// downsampling shortcut (if any) before its two convolutions.</summary>
    private IEnumerable<(Conv2d Conv, BatchNorm2d Norm, int Stride)> InGraphOrder()
    {
        yield return (conv1, bn1, 2);
        foreach (var layer in new[] { layer1, layer2, layer3, layer4 })
            foreach (var block in layer)
                foreach (var pair in block.InGraphOrder()) yield return pair;
    }

    private void CopyWeights(OnnxConvolutionWeights weights, string path)
    {
        var pairs = InGraphOrder().ToList();
        if (weights.Layers.Count != 2 * pairs.Count)
            throw new InvalidDataException($"{path}: {weights.Layers.Count} Conv/BatchNormalization nodes where this ResNet18 has {2 * pairs.Count}");
        using var _ = no_grad();
        for (int i = 0; i < pairs.Count; i++)
        {
            var (conv, norm, stride) = pairs[i];
            var (c, n) = (weights.Layers[2 * i], weights.Layers[2 * i + 1]);
            if (c.OpType != "Conv" || n.OpType != "BatchNormalization" || c.Tensors.Count != 1 || n.Tensors.Count != 4)
                throw new InvalidDataException($"{path}: node {2 * i} is {c.OpType} then {n.OpType}, not Conv (no bias) then BatchNormalization");
            if (c.Ints.TryGetValue("strides", out var strides) && strides.Any(s => s != stride))
                throw new InvalidDataException($"{path}: Conv '{c.Name}' has strides [{string.Join(", ", strides)}] where ResNet18 has {stride}");
            Copy(conv.weight!, c.Tensors[0], c.Name, path);
            Copy(norm.weight!, n.Tensors[0], n.Name, path);
            Copy(norm.bias!, n.Tensors[1], n.Name, path);
            Copy(norm.running_mean!, n.Tensors[2], n.Name, path);
            Copy(norm.running_var!, n.Tensors[3], n.Name, path);
        }
    }

    private static void Copy(Tensor into, (long[] Shape, float[] Data) from, string node, string path)
    {
        if (!into.shape.SequenceEqual(from.Shape))
            throw new InvalidDataException($"{path}: '{node}' has shape [{string.Join(", ", from.Shape)}] where ResNet18 has [{string.Join(", ", into.shape)}]");
        using var source = tensor(from.Data, from.Shape);
        into.copy_(source);
    }
}

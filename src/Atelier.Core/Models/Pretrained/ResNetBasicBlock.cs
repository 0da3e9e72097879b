using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Pretrained;

/// <summary>
/// He 2016's basic block: two 3×3 convolutions with batch norm, and a 1×1 stride-2 shortcut where the block halves the
/// size. A stride-2 3×3 convolution pads one row and column before and none after, as the CNTK export does.
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;
    private readonly int _stride;

    public ResNetBasicBlock(int input, int output, int stride) : base(nameof(ResNetBasicBlock))
    {
        _stride = stride;
        conv1 = Conv2d(input, output, 3, stride: stride, padding: stride == 1 ? 1 : 0, bias: false);
        bn1 = BatchNorm2d(output);
        conv2 = Conv2d(output, output, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(output);
        if (stride != 1 || input != output) downsample = Sequential(Conv2d(input, output, 1, stride: stride, bias: false), BatchNorm2d(output));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = _stride == 1 ? x : functional.pad(x, [1, 0, 1, 0]);
        y = functional.relu(bn1.forward(conv1.forward(y)));
        y = bn2.forward(conv2.forward(y));
        var shortcut = downsample is null ? x : downsample.forward(x);
        return functional.relu(y + shortcut).MoveToOuterDisposeScope();
    }

    /// <summary>The block's (conv, batch norm, stride) pairs in the ONNX graph's order: shortcut first, if any.</summary>
    internal IEnumerable<(Conv2d Conv, BatchNorm2d Norm, int Stride)> InGraphOrder()
    {
        if (downsample is not null) yield return ((Conv2d)downsample[0], (BatchNorm2d)downsample[1], _stride);
        yield return (conv1, bn1, _stride);
        yield return (conv2, bn2, 1);
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Stylization;

/// <summary>
/// Inverts one level of the frozen ResNet18 (<see cref="StyleDecoders"/>): its feature map back to an RGB image in
/// −1..1 at the input's size. Li et al. 2017's decoders mirror the encoder; this one halves the channels as it doubles
/// the resolution (nearest-neighbour upsampling then two 3×3 convolutions with reflection padding and ReLU per step,
/// which avoids the checkerboard of transposed convolutions), from the level's channels at stride 4, 8 or 16 to 16
/// channels at full size, and a last 3×3 convolution to RGB (no activation: the output is clamped when it is used).
/// </summary>
public sealed class FeatureDecoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> convs = new();
    private readonly int upsamplings;

    /// <param name="channels">Channels of the level's feature map (64, 128 or 256).</param>
    /// <param name="stride">Its stride (4, 8 or 16).</param>
    public FeatureDecoder(int channels, int stride) : base(nameof(FeatureDecoder))
    {
        if (stride is not (2 or 4 or 8 or 16 or 32)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "a power of two from 2 to 32");
        upsamplings = (int)Math.Log2(stride);
        int width = channels / 2;
        convs.Add(Conv2d(channels, width, 3));
        for (int i = 0; i < upsamplings; i++)
        {
            int next = Math.Max(16, width / 2);
            convs.Add(Conv2d(width, width, 3));
            convs.Add(Conv2d(width, next, 3));
            width = next;
        }
        convs.Add(Conv2d(width, 3, 3));
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = Conv(0, features, relu: true);
        for (int i = 0; i < upsamplings; i++)
        {
            x = functional.interpolate(x, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
            x = Conv(1 + 2 * i, x, relu: true);
            x = Conv(2 + 2 * i, x, relu: true);
        }
        return Conv(convs.Count - 1, x, relu: false).MoveToOuterDisposeScope();
    }

    private Tensor Conv(int index, Tensor x, bool relu)
    {
        var y = convs[index].forward(functional.pad(x, [1, 1, 1, 1], TorchSharp.PaddingModes.Reflect));
        return relu ? functional.relu(y) : y;
    }
}

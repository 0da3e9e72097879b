using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Fastgan;

/// <summary>
/// FastGAN's discriminator block (DownBlockComp): the mean of a main path (a spectrally normalised 4×4 stride-2
/// convolution, batch norm, LeakyReLU 0.2, a 3×3 convolution, batch norm, LeakyReLU) and a direct one (2×2 average
/// pooling, a 1×1 convolution, batch norm, LeakyReLU). Halves the side.
/// </summary>
public sealed class FastganDownBlock : Module<Tensor, Tensor>
{
    private readonly Sequential main, direct;

    public FastganDownBlock(int input, int output) : base(nameof(FastganDownBlock))
    {
        main = Sequential(
            ("conv0", new SpectralConv2d(input, output, 4, 2, 1, bias: false)),
            ("conv0_norm", BatchNorm2d(output)),
            ("conv0_act", LeakyReLU(0.2)),
            ("conv1", new SpectralConv2d(output, output, 3, 1, 1, bias: false)),
            ("conv1_norm", BatchNorm2d(output)),
            ("conv1_act", LeakyReLU(0.2)));
        direct = Sequential(
            ("pool", AvgPool2d(2, 2)),
            ("conv", new SpectralConv2d(input, output, 1, 1, 0, bias: false)),
            ("conv_norm", BatchNorm2d(output)),
            ("conv_act", LeakyReLU(0.2)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return ((main.forward(x) + direct.forward(x)) / 2).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>The founding text's convolutional discriminator, repaired: two strided convolutions and a dense logit.</summary>
public sealed class ClassicDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public ClassicDiscriminator(ModelOptions options) : base(nameof(ClassicDiscriminator))
    {
        int width = options.DiscriminatorWidth;
        layers = Sequential(
            ("input", Conv2d(options.Channels, width, 4, 2, 1)), // [B, w, 14, 14]
            ("input_act", LeakyReLU(0.2, inplace: true)),
            ("down1", Conv2d(width, 2 * width, 4, 2, 1)), // [B, 2w, 7, 7]
            ("down1_norm", BatchNorm2d(2 * width)),
            ("down1_act", LeakyReLU(0.2, inplace: true)),
            ("flatten", Flatten()), // [B, 2w·49]
            ("output", Linear(2 * width * 7 * 7, 1))); // [B, 1]
        RegisterComponents();
    }

    public override Tensor forward(Tensor images) => layers.forward(images).view(-1);
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// Radford 2015's discriminator: strided convolutions that halve the side, batch norm (not on the first layer),
/// LeakyReLU 0.2, and a last convolution to one logit. At 64×64 it is pytorch/examples' DCGAN discriminator.
/// </summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public DcganDiscriminator(ModelOptions options) : base(nameof(DcganDiscriminator))
    {
        var (start, halvings) = options.DcganPlan();
        int width = options.DiscriminatorWidth;
        var blocks = new List<(string, Module<Tensor, Tensor>)>
        {
            ("input", Conv2d(options.Channels, width, 4, 2, 1, bias: false)), // [B, width, R/2, R/2]
            ("input_act", LeakyReLU(0.2, inplace: true)),
        };
        for (int i = 1; i < halvings; i++)
        {
            blocks.Add(($"down{i}", Conv2d(width, width * 2, 4, 2, 1, bias: false))); // [B, 2·width, s/2, s/2]
            blocks.Add(($"down{i}_norm", BatchNorm2d(width * 2)));
            blocks.Add(($"down{i}_act", LeakyReLU(0.2, inplace: true)));
            width *= 2;
        }
        blocks.Add(("output", Conv2d(width, 1, start, 1, 0, bias: false))); // [B, 1, 1, 1]
        layers = Sequential(blocks);
        RegisterComponents();
    }

    /// <param name="images">[B, C, R, R]</param>
    /// <returns>[B] logits</returns>
    public override Tensor forward(Tensor images) => layers.forward(images).view(-1);
}

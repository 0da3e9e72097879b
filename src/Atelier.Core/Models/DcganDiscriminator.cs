using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// Radford 2015's discriminator: strided convolutions that halve the side, batch norm (not on the first layer),
/// LeakyReLU 0.2, and one logit from the last map. At 64×64 it computes what pytorch/examples' DCGAN
/// discriminator computes (its final 4×4 convolution is the dense output here).
/// </summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>, IFeatureDiscriminator
{
    private readonly Sequential body;
    private readonly Module<Tensor, Tensor> output;

    public DcganDiscriminator(ModelOptions options) : base(nameof(DcganDiscriminator))
    {
        var (start, halvings) = options.DcganPlan();
        int width = options.DiscriminatorWidth;
        long side = options.Resolution / 2;
        var blocks = new List<(string, Module<Tensor, Tensor>)>
        {
            ("input", ModelBlocks.DiscriminatorConv(options, options.Channels, width, 4, 2, 1, bias: false)), // [B, width, R/2, R/2]
            ("input_act", LeakyReLU(0.2, inplace: true)),
        };
        for (int i = 1; i < halvings; i++)
        {
            side /= 2;
            blocks.Add(($"down{i}", ModelBlocks.DiscriminatorConv(options, width, width * 2, 4, 2, 1, bias: false))); // [B, 2·width, s/2, s/2]
            if (ModelBlocks.DiscriminatorNorm(options, width * 2, side) is { } norm) blocks.Add(($"down{i}_norm", norm));
            blocks.Add(($"down{i}_act", LeakyReLU(0.2, inplace: true)));
            width *= 2;
        }
        body = Sequential(blocks); // [B, width, start, start]
        output = ModelBlocks.Head(options, (long)width * start * start, bias: false); // [B, 1]
        FeatureSize = (long)width * start * start;
        RegisterComponents();
    }

    public long FeatureSize { get; }

    /// <param name="images">[B, C, R, R]</param>
    /// <returns>[B] logits</returns>
    public override Tensor forward(Tensor images) => output.forward(body.forward(images).flatten(1)).view(-1);

    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images)
    {
        var features = body.forward(images).flatten(1);
        return (output.forward(features).view(-1), features);
    }
}

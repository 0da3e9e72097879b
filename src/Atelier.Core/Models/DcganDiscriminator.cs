using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// Radford 2015's discriminator: strided convolutions that halve the side, batch norm (not on the first layer),
/// LeakyReLU 0.2, and one logit from the last map. At 64×64 it computes what pytorch/examples' DCGAN
/// discriminator computes (its final 4×4 convolution is the dense output here).
/// </summary>
public sealed class DcganDiscriminator : BodyHeadDiscriminator
{
    public DcganDiscriminator(ModelOptions options) : this(Build(options))
    {
    }

    private DcganDiscriminator((Module<Tensor, Tensor> Body, Module<Tensor, Tensor> Output, long FeatureSize) parts)
        : base(nameof(DcganDiscriminator), parts.Body, parts.Output, parts.FeatureSize)
    {
    }

    private static (Module<Tensor, Tensor>, Module<Tensor, Tensor>, long) Build(ModelOptions options)
    {
        var (body, features) = Body(options);
        return (body, ModelBlocks.Head(options, features, bias: false), features); // head: [B, 1]
    }

    /// <summary>The convolutions: [B, C, R, R] → [B, features] once flattened (an autoencoder's encoder reuses them).</summary>
    internal static (Sequential Body, long Features) Body(ModelOptions options)
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
        long features = (long)width * start * start; // [B, width, start, start] flattened
        return (Sequential(blocks), features);
    }
}

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>The founding text's convolutional discriminator, repaired: two strided convolutions and a dense logit.</summary>
public sealed class ClassicDiscriminator : BodyHeadDiscriminator
{
    public ClassicDiscriminator(ModelOptions options) : this(Build(options))
    {
    }

    private ClassicDiscriminator((Module<Tensor, Tensor> Body, Module<Tensor, Tensor> Output, long FeatureSize) parts)
        : base(nameof(ClassicDiscriminator), parts.Body, parts.Output, parts.FeatureSize)
    {
    }

    private static (Module<Tensor, Tensor>, Module<Tensor, Tensor>, long) Build(ModelOptions options)
    {
        int width = options.DiscriminatorWidth;
        var blocks = new List<(string, Module<Tensor, Tensor>)>
        {
            ("input", ModelBlocks.DiscriminatorConv(options, options.Channels, width, 4, 2, 1, bias: true)), // [B, w, 14, 14]
            ("input_act", LeakyReLU(0.2, inplace: true)),
            ("down1", ModelBlocks.DiscriminatorConv(options, width, 2 * width, 4, 2, 1, bias: true)), // [B, 2w, 7, 7]
        };
        if (ModelBlocks.DiscriminatorNorm(options, 2 * width, 7) is { } norm) blocks.Add(("down1_norm", norm));
        blocks.Add(("down1_act", LeakyReLU(0.2, inplace: true)));
        long features = 2L * width * 7 * 7;
        return (Sequential(blocks), ModelBlocks.Head(options, features, bias: true), features); // head: [B, 1]
    }
}

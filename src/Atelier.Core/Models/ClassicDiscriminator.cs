using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>The founding text's convolutional discriminator, repaired: two strided convolutions and a dense logit.</summary>
public sealed class ClassicDiscriminator : Module<Tensor, Tensor>, IFeatureDiscriminator
{
    private readonly Sequential body;
    private readonly Module<Tensor, Tensor> output;

    public ClassicDiscriminator(ModelOptions options) : base(nameof(ClassicDiscriminator))
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
        body = Sequential(blocks);
        output = ModelBlocks.Head(options, 2L * width * 7 * 7, bias: true); // [B, 1]
        FeatureSize = 2L * width * 7 * 7;
        RegisterComponents();
    }

    public long FeatureSize { get; }

    public override Tensor forward(Tensor images) => output.forward(body.forward(images).flatten(1)).view(-1);

    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images)
    {
        var features = body.forward(images).flatten(1);
        return (output.forward(features).view(-1), features);
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Projected;

/// <summary>
/// One of Sauer 2021's small discriminators, on one feature map: spectrally normalised 4×4 stride-2 convolutions with
/// batch norm and LeakyReLU 0.2 down to 8×8, then a spectrally normalised 4×4 convolution to a map of logits (5×5 from
/// 8×8; a map smaller than 4 takes one convolution over all of it). Channels per side follow projected-gan's
/// SingleDisc (16: 256, 8: 512, …), scaled by <see cref="ModelOptions.DiscriminatorWidth"/> / 64.
/// </summary>
public sealed class ScaleDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential main;

    public ScaleDiscriminator(int channels, int side, int width) : base(nameof(ScaleDiscriminator))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int c = channels, s = side, i = 0;
        while (s > 8)
        {
            int next = Width(s / 2, width);
            layers.Add(($"down{i}", new SpectralConv2d(c, next, 4, 2, 1, bias: true)));
            layers.Add(($"down{i}_norm", BatchNorm2d(next)));
            layers.Add(($"down{i}_act", LeakyReLU(0.2)));
            (c, s, i) = (next, s / 2, i + 1);
        }
        int kernel = Math.Min(4, s);
        layers.Add(("logits", new SpectralConv2d(c, 1, kernel, 1, 0, bias: false)));
        LogitsPerImage = (s - kernel + 1) * (s - kernel + 1);
        main = Sequential(layers);
        RegisterComponents();
    }

    /// <summary>Logits per image: [B, 1, S', S'] flattened to [B, S'·S'].</summary>
    public override Tensor forward(Tensor features) => main.forward(features).flatten(1);

    /// <summary>Logits per image: the side of the last map, less the logit convolution's kernel, plus one, squared.</summary>
    public int LogitsPerImage { get; }

    private static int Width(int side, int width) => side switch
    {
        <= 8 => 512,
        16 => 256,
        32 => 128,
        _ => 64,
    } * width / 64;
}

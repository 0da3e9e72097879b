using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Fastgan;

/// <summary>
/// Liu 2021's self-supervised discriminator (--discriminator self-supervised), the option that needs no pretrained
/// network. Two paths give a 5×5 map of logits each, side by side ([B·50]): a big one on the image (a 3×3 stem, then
/// <see cref="FastganDownBlock"/>s down to 8×8, with skip-layer excitation from the map eight times larger, a 1×1
/// convolution and a 4×4 one) and a small one on the image at half size (4×4 stride-2 convolutions down to 8×8).
/// On real images three decoders (nearest upsampling, 3×3 convolution, batch norm, GLU; tanh) rebuild the image at
/// half size from the big path's 8×8 map and from the small path's, and one quadrant at its own size from that
/// quadrant of the big path's 16×16 map: the reconstruction loss makes the discriminator learn features that describe
/// the images, which is what lets it train on a hundred of them. Channels follow FastGAN's (ndf = 64 gives 512 at 8×8,
/// 256 at 16×16, … and decoders of 128, 64, 64, 32), scaled by <see cref="ModelOptions.DiscriminatorWidth"/> / 64.
/// Every convolution is spectrally normalised, as in FastGAN's code.
/// </summary>
public sealed class SelfSupervisedDiscriminator : Module<Tensor, Tensor>, IReconstructingDiscriminator
{
    private readonly Sequential stem;
    private readonly ModuleList<FastganDownBlock> down;
    private readonly ModuleDict<FastganExcitation> excite;
    private readonly Sequential logits_big;
    private readonly Sequential down_small;
    private readonly SpectralConv2d logits_small;
    private readonly Sequential decoder_big, decoder_small, decoder_part;
    private readonly int _resolution;

    public SelfSupervisedDiscriminator(ModelOptions options) : base(nameof(SelfSupervisedDiscriminator))
    {
        int r = options.Resolution, w = options.DiscriminatorWidth, c = options.Channels;
        if (r < 32) throw new Platform.OptionException($"--discriminator self-supervised: {r}x{r} is too small (its crop decoder needs a 16x16 map); use --resolution 32 or more.");
        _resolution = r;
        stem = Sequential(("conv", new SpectralConv2d(c, Channels(r, w), 3, 1, 1, bias: false)), ("act", LeakyReLU(0.2)));
        down = new ModuleList<FastganDownBlock>();
        excite = new ModuleDict<FastganExcitation>();
        for (int side = r / 2; side >= 8; side /= 2)
        {
            down.Add(new FastganDownBlock(Channels(side * 2, w), Channels(side, w)));
            if (side <= 32 && side * 8 <= r) excite.Add(Key(side), new FastganExcitation(Channels(side * 8, w), Channels(side, w)));
        }
        logits_big = Sequential(
            ("conv", new SpectralConv2d(Channels(8, w), 2 * Channels(8, w), 1, 1, 0, bias: false)),
            ("conv_norm", BatchNorm2d(2 * Channels(8, w))),
            ("conv_act", LeakyReLU(0.2)),
            ("logits", new SpectralConv2d(2 * Channels(8, w), 1, 4, 1, 0, bias: false)));
        var small = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv", new SpectralConv2d(c, Channels(r / 4, w) / 2, 4, 2, 1, bias: false)),
            ("act", LeakyReLU(0.2)),
        };
        for (int side = r / 8, i = 0; side >= 8; side /= 2, i++)
        {
            small.Add(($"down{i}", new SpectralConv2d(Channels(side * 2, w) / 2, Channels(side, w) / 2, 4, 2, 1, bias: false)));
            small.Add(($"down{i}_norm", BatchNorm2d(Channels(side, w) / 2)));
            small.Add(($"down{i}_act", LeakyReLU(0.2)));
        }
        down_small = Sequential(small);
        logits_small = new SpectralConv2d(Channels(8, w) / 2, 1, 4, 1, 0, bias: false);
        decoder_big = Decoder(Channels(8, w), r / 2, w, c);
        decoder_small = Decoder(Channels(8, w) / 2, r / 2, w, c);
        decoder_part = Decoder(Channels(16, w), r / 2, w, c);
        RegisterComponents();
    }

    /// <summary>Logits per image: two 5×5 maps.</summary>
    public const int LogitsPerImage = 50;

    /// <summary>FastGAN's channels at a side of the big path for ndf = <paramref name="width"/>: 8·ndf at 8×8, halving per doubling (at least 2).</summary>
    public static int Channels(int side, int width) => Math.Max(2, 64 * width / side);

    /// <summary>[B, C, R, R] in −1..1 → [B·50] logits.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Forward(images).Logits.MoveToOuterDisposeScope();
    }

    public (Tensor Logits, IReadOnlyList<(Tensor Output, Tensor Target)> Reconstructions) ForwardReconstructing(Tensor images, int part)
    {
        if (part is < 0 or >= IReconstructingDiscriminator.Parts) throw new ArgumentOutOfRangeException(nameof(part), part, "a quadrant is 0..3");
        using var scope = NewDisposeScope();
        var (logits, last, map16, smallLast, small) = Forward(images);
        int half = _resolution / 2;
        int row = part / 2, column = part % 2;
        var quadrant = map16.narrow(2, 8 * row, 8).narrow(3, 8 * column, 8);
        var crop = images.narrow(2, half * row, half).narrow(3, half * column, half);
        (Tensor, Tensor)[] pairs =
        [
            (decoder_big.forward(last), small),
            (decoder_small.forward(smallLast), small),
            (decoder_part.forward(quadrant), crop),
        ];
        logits.MoveToOuterDisposeScope();
        foreach (var (o, t) in pairs) { o.MoveToOuterDisposeScope(); t.MoveToOuterDisposeScope(); }
        return (logits, pairs);
    }

    private (Tensor Logits, Tensor Last, Tensor Map16, Tensor SmallLast, Tensor Small) Forward(Tensor images)
    {
        var x = stem.forward(images);
        var maps = new Dictionary<int, Tensor> { [_resolution] = x };
        int side = _resolution;
        foreach (var block in down)
        {
            side /= 2;
            x = block.forward(x);
            if (excite.TryGetValue(Key(side), out var gate)) x = gate.Gate(maps[side * 8], x);
            maps[side] = x;
        }
        // The small path sees the image at half size, averaged (FastGAN resizes by nearest neighbour).
        var small = functional.avg_pool2d(images, 2);
        var smallLast = down_small.forward(small);
        var logits = cat([logits_big.forward(x).flatten(1), logits_small.forward(smallLast).flatten(1)], 1).flatten();
        return (logits, x, maps[16], smallLast, small);
    }

    /// <summary>FastGAN's SimpleDecoder from an 8×8 map to <paramref name="side"/>: per doubling nearest upsampling, a 3×3 convolution to twice the channels, batch norm, GLU; then a 3×3 convolution to the image and tanh.</summary>
    private static Sequential Decoder(int input, int side, int width, int channels)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int c = input, i = 0;
        for (int s = 16; s <= side; s *= 2, i++)
        {
            int output = DecoderChannels(s, width);
            layers.Add(($"up{i}", Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest)));
            layers.Add(($"up{i}_conv", new SpectralConv2d(c, 2 * output, 3, 1, 1, bias: false)));
            layers.Add(($"up{i}_norm", BatchNorm2d(2 * output)));
            layers.Add(($"up{i}_glu", GLU(1)));
            c = output;
        }
        layers.Add(("to_image", new SpectralConv2d(c, channels, 3, 1, 1, bias: false)));
        layers.Add(("tanh", Tanh()));
        return Sequential(layers);
    }

    /// <summary>The decoders' channels at a side: FastGAN's 128, 64, 64, 32 at 16, 32, 64, 128 for ndf = 64.</summary>
    private static int DecoderChannels(int side, int width) => Math.Max(2, side switch
    {
        16 => 2 * width,
        32 or 64 => width,
        _ => width / 2,
    });

    private static string Key(int side) => side.ToString(CultureInfo.InvariantCulture);
}

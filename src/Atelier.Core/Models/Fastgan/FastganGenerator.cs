using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Fastgan;

/// <summary>
/// Liu 2021's FastGAN generator in its lite form (autonomousvision/projected-gan's fastgan_lite): z normalised to the
/// unit second moment, a 4×4 start (a spectrally normalised dense layer, batch norm, GLU), then per doubling nearest
/// upsampling, a spectrally normalised 3×3 convolution, batch norm and GLU; skip-layer excitation lets the 4×4 map gate
/// the 64×64 one and the 8×8 map the 128×128 one (16×16 gates 256×256). No noise injection, so a seed is one image.
/// Channels follow FastGAN's multipliers of ngf = <see cref="ModelOptions.GeneratorWidth"/> (4: 16·ngf, 8: 8·ngf,
/// 16: 4·ngf, 32 and 64: 2·ngf, 128: ngf, 256: ngf/2); tanh keeps the output in −1..1.
/// </summary>
public sealed class FastganGenerator : Module<Tensor, Tensor>
{
    private readonly SpectralLinear init;
    private readonly BatchNorm2d init_norm;
    private readonly ModuleList<Sequential> up;
    private readonly ModuleDict<FastganExcitation> excite;
    private readonly SpectralConv2d to_image;
    private readonly int _start;

    public FastganGenerator(ModelOptions options) : base(nameof(FastganGenerator))
    {
        _start = Channels(4, options.GeneratorWidth);
        init = new SpectralLinear(options.LatentSize, 2 * _start * 16, bias: false);
        init_norm = BatchNorm2d(2 * _start);
        up = new ModuleList<Sequential>();
        excite = new ModuleDict<FastganExcitation>();
        for (int side = 8; side <= options.Resolution; side *= 2)
        {
            int input = Channels(side / 2, options.GeneratorWidth), output = Channels(side, options.GeneratorWidth);
            up.Add(Sequential(
                ("upsample", Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest)),
                ("conv", new SpectralConv2d(input, 2 * output, 3, 1, 1, bias: false)),
                ("norm", BatchNorm2d(2 * output)),
                ("glu", GLU(1))));
            if (side >= 64) excite.Add(side.ToString(System.Globalization.CultureInfo.InvariantCulture), new FastganExcitation(Channels(side / 16, options.GeneratorWidth), output));
        }
        to_image = new SpectralConv2d(Channels(options.Resolution, options.GeneratorWidth), options.Channels, 3, 1, 1, bias: true);
        RegisterComponents();
    }

    /// <summary>FastGAN's channels at a side, for ngf = <paramref name="width"/>.</summary>
    public static int Channels(int side, int width) => side switch
    {
        <= 4 => 16 * width,
        8 => 8 * width,
        16 => 4 * width,
        32 or 64 => 2 * width,
        128 => width,
        _ => Math.Max(1, width / 2),
    };

    /// <summary>[B, latent] → [B, C, R, R] in −1..1.</summary>
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = z * (z.square().mean([1], keepdim: true) + 1e-8).rsqrt();
        x = functional.glu(init_norm.forward(init.forward(x).view(-1, 2 * _start, 4, 4)), 1);
        var maps = new Dictionary<int, Tensor> { [4] = x };
        int side = 4;
        foreach (var block in up)
        {
            side *= 2;
            x = block.forward(x);
            if (excite.TryGetValue(side.ToString(System.Globalization.CultureInfo.InvariantCulture), out var gate)) x = gate.Gate(maps[side / 16], x);
            maps[side] = x;
        }
        return tanh(to_image.forward(x)).MoveToOuterDisposeScope();
    }
}

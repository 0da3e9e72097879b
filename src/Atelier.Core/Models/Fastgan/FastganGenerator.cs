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
public sealed class FastganGenerator : Module<Tensor, Tensor>, Export.IOnnxExportable
{
    private readonly SpectralLinear init;
    private readonly BatchNorm2d init_norm;
    private readonly ModuleList<Sequential> up;
    private readonly ModuleDict<FastganExcitation> excite;
    private readonly SpectralConv2d to_image;
    private readonly int _start;
    private static readonly long[] FeatureAxis = [1];
    private static readonly float[] LatentEpsilon = [1e-8f];

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

    public string EmitOnnx(Export.OnnxGraphBuilder graph, string latents, string? classes)
    {
        // z / sqrt(mean(z²) + 1e-8), as forward computes it.
        var meanSquare = graph.Node("ReduceMean", [graph.Mul(latents, latents, "z_square")], "z_mean_square", ("axes", FeatureAxis), ("keepdims", 1L));
        var eps = graph.Constant(tensor(LatentEpsilon), "z_eps");
        var x = graph.Node("Div", [latents, graph.Node("Sqrt", [graph.Node("Add", [meanSquare, eps], "z_mean_square_eps")], "z_norm")], "z_normalised");
        x = graph.Dense(x, init.EvalWeight(), init.BiasValue, init_norm, "init");
        x = graph.Glu(graph.Reshape(x, [-1, 2 * _start, 4, 4], "init_4x4"), "init_glu");
        var maps = new Dictionary<int, string> { [4] = x };
        int side = 4;
        foreach (var block in up)
        {
            side *= 2;
            x = Export.OnnxSequential.Emit(graph, block, x);
            var key = side.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (excite.TryGetValue(key, out var gate)) x = graph.Mul(x, gate.EmitOnnx(graph, maps[side / 16], side / 16, "excite" + key), "excited" + key);
            maps[side] = x;
        }
        return graph.Tanh(graph.Convolution(x, to_image.EvalWeight(), to_image.BiasValue, transposed: false, [1, 1], [1, 1], [0, 0], [1, 1], 1, null, "to_image"), "output");
    }
}

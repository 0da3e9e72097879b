using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// The founding text's generator, repaired: a dense layer to 7×7 feature maps, then two ×2 transposed
/// convolutions to 28×28 (the published code never upsampled to 28×28 and mixed Keras with PyTorch calls).
/// </summary>
public sealed class ClassicGenerator : Module<Tensor, Tensor>, Export.IOnnxExportable
{
    private readonly Sequential layers;
    private readonly ReferenceLatents reference;

    public ClassicGenerator(ModelOptions options) : base(nameof(ClassicGenerator))
    {
        int width = options.GeneratorWidth;
        layers = Sequential(
            ("dense", Linear(options.LatentSize, 2 * width * 7 * 7)), // [B, 2w·49]
            ("dense_act", ReLU(inplace: true)),
            ("unflatten", Unflatten(1, [2 * width, 7, 7])), // [B, 2w, 7, 7]
            ("up1", ConvTranspose2d(2 * width, width, 4, 2, 1)), // [B, w, 14, 14]
            ("up1_norm", ModelBlocks.GeneratorNorm(options, width)),
            ("up1_act", ReLU(inplace: true)),
            ("output", ConvTranspose2d(width, options.Channels, 4, 2, 1)), // [B, C, 28, 28]
            ("output_act", Tanh()));
        reference = new ReferenceLatents(options);
        RegisterComponents();
    }

    public override Tensor forward(Tensor latents) => reference.Strip(layers.forward(reference.Prepend(latents)));

    public string EmitOnnx(Export.OnnxGraphBuilder graph, string latents, string? classes) => reference.Active
        ? throw new NotSupportedException("a generator with virtual batch norm normalises each image by a reference batch; it is not exported")
        : Export.OnnxSequential.Emit(graph, layers, latents);
}

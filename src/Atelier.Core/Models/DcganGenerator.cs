using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// Radford 2015's generator: z → transposed convolutions that double the side, batch norm and ReLU, tanh output.
/// At 64×64 with width 64 it is exactly pytorch/examples' DCGAN generator. With virtual batch norm the fixed
/// reference latents travel through the network in front of every batch and are dropped at the end.
/// </summary>
public sealed class DcganGenerator : Module<Tensor, Tensor>, IConditionalGenerator, Export.IOnnxExportable
{
    private readonly Sequential layers;
    private readonly ReferenceLatents reference;
    private readonly Embedding? class_embed;
    private readonly int _latentSize;

    public DcganGenerator(ModelOptions options) : base(nameof(DcganGenerator))
    {
        var (start, doublings) = options.DcganPlan();
        _latentSize = options.LatentSize;
        int width = options.GeneratorWidth * (1 << (doublings - 1));
        var blocks = new List<(string, Module<Tensor, Tensor>)>
        {
            ("input", ConvTranspose2d(options.LatentSize, width, start, 1, 0, bias: false)), // [B, width, start, start]
            ("input_norm", ModelBlocks.GeneratorNorm(options, width)),
            ("input_act", ReLU(inplace: true)),
        };
        for (int i = 1; i < doublings; i++)
        {
            blocks.Add(($"up{i}", ConvTranspose2d(width, width / 2, 4, 2, 1, bias: false))); // [B, width/2, 2s, 2s]
            blocks.Add(($"up{i}_norm", ModelBlocks.GeneratorNorm(options, width / 2)));
            blocks.Add(($"up{i}_act", ReLU(inplace: true)));
            width /= 2;
        }
        blocks.Add(("output", ConvTranspose2d(width, options.Channels, 4, 2, 1, bias: false))); // [B, C, R, R]
        blocks.Add(("output_act", Tanh()));
        layers = Sequential(blocks);
        reference = new ReferenceLatents(options);
        Classes = options.Classes;
        if (Classes > 0) class_embed = Embedding(Classes, _latentSize); // z ⊙ embed(y), as in the AC-GAN generators
        RegisterComponents();
    }

    public int Classes { get; }

    public int LatentSize => _latentSize;

    /// <param name="latents">[B, LatentSize], or [B, LatentSize + 1] with the class index last when conditional.</param>
    /// <returns>[B, C, R, R] in [-1, 1]</returns>
    public override Tensor forward(Tensor latents)
    {
        if (class_embed is not null)
        {
            if (latents.shape[1] != _latentSize + 1) throw new ArgumentException($"a conditional generator needs [B, {_latentSize + 1}] latents (z and the class), got [{string.Join(",", latents.shape)}]");
            var labels = latents.select(1, _latentSize).to(int64);
            latents = latents.narrow(1, 0, _latentSize) * class_embed.forward(labels);
        }
        return reference.Strip(layers.forward(reference.Prepend(latents).view(-1, _latentSize, 1, 1)));
    }

    public string EmitOnnx(Export.OnnxGraphBuilder graph, string latents, string? classes)
    {
        if (reference.Active) throw new NotSupportedException("a generator with virtual batch norm normalises each image by a reference batch; it is not exported");
        var x = latents;
        if (class_embed is not null)
            x = graph.Mul(x, graph.Node("Gather", [graph.Constant(class_embed.weight!, "class_embed"), classes!], "class_embed"), "conditioned");
        return Export.OnnxSequential.Emit(graph, layers, graph.Reshape(x, [-1, _latentSize, 1, 1], "latents_4d"));
    }
}

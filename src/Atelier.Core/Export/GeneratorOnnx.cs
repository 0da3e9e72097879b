using Atelier.Sampling;
using Onnx;
using static TorchSharp.torch;

namespace Atelier.Export;

/// <summary>
/// A trained generator as an ONNX model: input <c>z</c> [N, latent] float (the latents of <see cref="Latents.ForSeeds"/>
/// for a seed; and <c>class</c> [N] int64 for a class-conditional run), output <c>image</c> [N, C, R, R] in [-1, 1],
/// channels RGB (or one grey channel). Eval mode: batch norm folded into the layer before it, spectral normalisation
/// applied to the weights. The model's metadata carries the weights' SHA-256, the model options and the run.
/// </summary>
public static class GeneratorOnnx
{
    /// <summary>A trained generator, its weights, model options and run in the metadata.</summary>
    public static byte[] Export(TrainedGenerator generator) => Export(generator.Network, generator.Model, new Dictionary<string, string>
    {
        ["atelier.weights"] = generator.WeightsId,
        ["atelier.run"] = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(generator.Checkpoint)) ?? ""),
        ["atelier.checkpoint"] = Path.GetFileName(generator.Checkpoint),
    });

    /// <summary>Any exportable generator of options <paramref name="m"/>, in eval mode.</summary>
    public static byte[] Export(nn.Module<Tensor, Tensor> network, Models.ModelOptions m, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (network is not IOnnxExportable exportable)
            throw new NotSupportedException($"the {m.Architecture} generator is not exported to ONNX (exported: dcgan, classic, fastgan, autoencoder, vae)");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = new OnnxGraphBuilder();
        var z = graph.Input("z", TensorProto.Types.DataType.Float, m.LatentSize);
        var classes = m.Classes > 0 ? graph.Input("class", TensorProto.Types.DataType.Int64) : null;
        graph.Output(exportable.EmitOnnx(graph, z, classes), "image", m.Channels, m.Resolution, m.Resolution);
        var metadata = new Dictionary<string, string>
        {
            ["atelier.model"] = System.Text.Json.JsonSerializer.Serialize(m, Runs.RunFolder.Json),
            ["atelier.latents"] = "z: standard normal, one row per image (Atelier draws a seed's row with its own generator)",
            ["atelier.output"] = "image: [N, C, H, W] in [-1, 1]; pixel = round((value + 1) * 127.5)",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) metadata[key] = value;
        var weights = extra?.GetValueOrDefault("atelier.weights") is string w ? "; weights " + w : "";
        return graph.ToModel(metadata, $"Atelier {m.Architecture} generator, {m.Resolution}x{m.Resolution}, {m.Channels} channel(s), latent {m.LatentSize}{(m.Classes > 0 ? $", {m.Classes} classes" : "")}{weights}");
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>Normalisation and output layers shared by the model families.</summary>
internal static class ModelBlocks
{
    /// <summary>Generator normalisation: batch norm, or virtual batch norm against the reference rows.</summary>
    public static Module<Tensor, Tensor> GeneratorNorm(ModelOptions options, long channels) =>
        options.VirtualBatchNorm ? new VirtualBatchNorm2d(channels, options.ReferenceBatchSize) : BatchNorm2d(channels);

    /// <summary>Discriminator normalisation of a [channels, side, side] map, or null for none.</summary>
    public static Module<Tensor, Tensor>? DiscriminatorNorm(ModelOptions options, long channels, long side) => options.DiscriminatorNormalization switch
    {
        "layer" => LayerNorm([channels, side, side]),
        "none" => null,
        _ => BatchNorm2d(channels),
    };

    /// <summary>
    /// The logit from the last hidden map [B, C, S, S]: one dense unit over the flattened map (a C→1 convolution
    /// with an S×S kernel is the same thing), after minibatch discrimination when it is on.
    /// </summary>
    public static Module<Tensor, Tensor> Head(ModelOptions options, long features, bool bias) =>
        options.MinibatchKernels > 0
            ? Sequential(
                ("minibatch", new MinibatchDiscrimination(features, options.MinibatchKernels, options.MinibatchKernelSize)), // [B, F + K]
                ("dense", Linear(features + options.MinibatchKernels, 1, hasBias: bias))) // [B, 1]
            : Linear(features, 1, hasBias: bias);
}

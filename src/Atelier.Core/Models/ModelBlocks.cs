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
        Normalization.Batch => BatchNorm2d(channels),
        Normalization.Layer => LayerNorm([channels, side, side]),
        Normalization.None => null,
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.DiscriminatorNormalization, "not a normalisation"),
    };

    /// <summary>A discriminator convolution, spectrally normalised when the options say so.</summary>
    public static Module<Tensor, Tensor> DiscriminatorConv(ModelOptions options, long input, long output, long kernel, long stride, long padding, bool bias) =>
        options.SpectralNorm ? new SpectralConv2d(input, output, kernel, stride, padding, bias) : Conv2d(input, output, kernel, stride, padding, bias: bias);

    /// <summary>A discriminator dense layer, spectrally normalised when the options say so.</summary>
    public static Module<Tensor, Tensor> DiscriminatorLinear(ModelOptions options, long input, long output, bool bias) =>
        options.SpectralNorm ? new SpectralLinear(input, output, bias) : Linear(input, output, hasBias: bias);

    /// <summary>
    /// The logit from the last hidden map [B, C, S, S]: one dense unit over the flattened map (a C→1 convolution
    /// with an S×S kernel is the same thing), after minibatch discrimination when it is on.
    /// </summary>
    public static Module<Tensor, Tensor> Head(ModelOptions options, long features, bool bias) =>
        options.MinibatchKernels > 0
            ? Sequential(
                ("minibatch", new MinibatchDiscrimination(features, options.MinibatchKernels, options.MinibatchKernelSize)), // [B, F + K]
                ("dense", DiscriminatorLinear(options, features + options.MinibatchKernels, 1, bias))) // [B, 1]
            : DiscriminatorLinear(options, features, 1, bias);
}

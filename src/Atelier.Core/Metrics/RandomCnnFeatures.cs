using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Metrics;

/// <summary>
/// random-cnn: a feature network that no discriminator looks through and no dataset trained. Naeem et al. 2020 show
/// that embeddings of a randomly initialised CNN rank generative models sensibly and recommend them where ImageNet
/// features do not fit the domain. Here: VGG16's thirteen 3×3 convolutions with ReLU and five 2×2 max-pools (no batch
/// norm, no dense layers), He-normal weights (fan-in, which keeps activations of order 1 through the thirteen layers, so the features suit KID's cubic kernel) drawn from a generator with a
/// fixed seed, so every machine builds the same network; images resized to 64×64 RGB in −1..1; the 512-d global
/// average of the last block.
/// </summary>
public sealed class RandomCnnFeatures : IFeatureNetwork
{
    public const string NetworkId = "random-cnn";
    public const int Size = 64;
    public const int Seed = 0;
    internal const int BatchSize = 64;

    private static readonly int[] Plan = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    private readonly Sequential _network;

    public RandomCnnFeatures()
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int channels = 3, conv = 0, pool = 0;
        foreach (int width in Plan)
        {
            if (width == 0)
            {
                layers.Add(($"pool{pool++}", MaxPool2d(2, 2)));
                continue;
            }
            layers.Add(($"conv{conv}", Conv2d(channels, width, 3, padding: 1)));
            layers.Add(($"relu{conv++}", ReLU()));
            channels = width;
        }
        _network = Sequential(layers);
        using (no_grad())
        {
            using var generator = new Generator(Seed);
            foreach (var (name, p) in _network.named_parameters())
            {
                if (name.EndsWith("bias", StringComparison.Ordinal)) p.zero_();
                else p.normal_(0, Math.Sqrt(2.0 / (p.shape[1] * p.shape[2] * p.shape[3])), generator); // He normal, fan-in: keeps the activations O(1)
            }
        }
        foreach (var p in _network.parameters()) p.requires_grad = false;
        _network.eval();
        WeightsHash = Models.FrozenModule.HashOf(_network.state_dict());
    }

    public string Id => NetworkId;

    public string Description => $"random-cnn: VGG16 convolutions with He-normal weights from seed {Seed} (no training, no ImageNet), 512-d average of the last block; weights {WeightsHash[..12]}";

    public string Preprocessing => $"{ImageResize.Method} to {Size}x{Size}, grey repeated to RGB, scaled to -1..1";

    public int Dimension => 512;

    public int ClassCount => 0;

    /// <summary>SHA-256 of the weights, so a report names exactly which random network measured it.</summary>
    public string WeightsHash { get; }

    public FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution)
    {
        int imageBytes = channels * resolution * resolution;
        if (images.Length < count * imageBytes) throw new ArgumentException("fewer bytes than images", nameof(images));
        const int plane = 3 * Size * Size;
        var features = new float[count * Dimension];
        var rgb = new float[Math.Min(count, BatchSize) * plane];
        for (int first = 0; first < count; first += BatchSize)
        {
            int n = Math.Min(BatchSize, count - first);
            for (int i = 0; i < n; i++)
                ImageResize.ToRgbPlanes(images.Slice((first + i) * imageBytes, imageBytes), channels, resolution, Size, rgb.AsSpan(i * plane, plane));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(rgb.AsSpan(0, n * plane).ToArray(), new long[] { n, 3, Size, Size }) / 127.5 - 1;
            _network.forward(x).mean([2, 3]).data<float>().CopyTo(features.AsSpan(first * Dimension, n * Dimension));
        }
        return new FeatureBatch(features, null);
    }

    public void Dispose() => _network.Dispose();
}

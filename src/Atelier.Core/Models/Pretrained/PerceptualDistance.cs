using static TorchSharp.torch;

namespace Atelier.Models.Pretrained;

/// <summary>
/// A perceptual distance from the frozen ImageNet ResNet18, where FastGAN and autoencoders use LPIPS (whose VGG and
/// learned weights are not reachable): the mean absolute pixel difference plus, for stem+layer1 and layer2, the squared
/// difference of the channel-normalised activations summed over channels and averaged over positions (LPIPS without
/// its learned per-channel weights; Zhang 2018 report that this unweighted form already ranks distortions much like
/// people do). Differentiable with respect to both images; the network's own weights never train.
/// </summary>
public sealed class PerceptualDistance : IDisposable
{
    private readonly ResNet18Network network;

    public PerceptualDistance(ResNet18Network? network = null) => this.network = network ?? ResNet18Network.Load();

    /// <summary>Stages of the network that the distance compares: stem+layer1 and layer2.</summary>
    public const int Stages = 2;

    /// <summary>[B] distances between images [B, C, S, S] in −1..1 (C = 1 or 3; grey images are compared as RGB).</summary>
    public Tensor Distance(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) throw new ArgumentException($"images of shapes [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}] cannot be compared");
        using var scope = NewDisposeScope();
        var pixel = (a - b).abs().flatten(1).mean([1]);
        if (a.shape[1] == 1) (a, b) = (a.expand(-1, 3, -1, -1), b.expand(-1, 3, -1, -1));
        var fa = network.Stages(network.PreprocessSigned(a), Stages);
        var fb = network.Stages(network.PreprocessSigned(b), Stages);
        var total = pixel;
        for (int i = 0; i < Stages; i++) total = total + (Unit(fa[i]) - Unit(fb[i])).square().sum([1]).mean([1, 2]);
        return total.MoveToOuterDisposeScope();
    }

    public void Dispose() => network.Dispose();

    /// <summary>Each position's activations scaled to unit length over the channels, as LPIPS does.</summary>
    private static Tensor Unit(Tensor f) => f / (f.square().sum([1], keepdim: true).sqrt() + 1e-10);
}

using Atelier.Models.Pretrained;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Projected;

/// <summary>
/// Sauer 2021's frozen feature network, with Atelier's ImageNet ResNet18 as the backbone: its four stages, then fixed
/// random 1×1 convolutions that mix channels (CCM: 64, 128, 256, 512 maps) and a top-down path that mixes scales (CSM:
/// each level adds the level below, upsampled ×2 bilinearly, and a 1×1 convolution halves its channels), as
/// autonomousvision/projected-gan's F_RandomProj (proj_type 2, cout 64, expand). Nothing here trains: the random
/// weights come from their own generator with a fixed seed (PyTorch's default convolution initialisation,
/// U(±1/√fan_in)), so every run, resume and load builds the same network.
/// </summary>
public sealed class ProjectedFeatures : Module
{
    /// <summary>The seed of the random mixing weights (part of the network's identity).</summary>
    public const int MixingSeed = 0;

    private readonly ResNet18Network backbone;
    private readonly ModuleList<Conv2d> ccm;
    private readonly ModuleList<Conv2d> csm;

    public ProjectedFeatures() : base(nameof(ProjectedFeatures))
    {
        backbone = ResNet18Network.Load();
        int[] mixed = [64, 128, 256, 512];
        ccm = new ModuleList<Conv2d>();
        for (int i = 0; i < 4; i++) ccm.Add(Conv2d(ResNet18Network.StageChannels[i], mixed[i], 1));
        // CSM out_conv of level i: mixed[i] → mixed[i] / 2, except the top level (level 0), which keeps its channels.
        csm = new ModuleList<Conv2d>();
        for (int i = 0; i < 4; i++) csm.Add(Conv2d(mixed[i], i == 0 ? mixed[i] : mixed[i] / 2, 1));
        Channels = [mixed[0], mixed[1] / 2, mixed[2] / 2, mixed[3] / 2];
        RegisterComponents();
        using (no_grad())
        {
            using var generator = new Generator(MixingSeed);
            foreach (var conv in ccm.Concat(csm))
            {
                double bound = 1 / Math.Sqrt(conv.weight!.shape[1]);
                conv.weight.copy_((rand(conv.weight.shape, generator: generator) * 2 - 1) * bound);
                conv.bias!.copy_((rand(conv.bias.shape, generator: generator) * 2 - 1) * bound);
            }
        }
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    /// <summary>Channels of the four mixed feature maps, finest first.</summary>
    public IReadOnlyList<int> Channels { get; }

    /// <summary>Their sides for an image of side <paramref name="resolution"/> (strides 2, 4, 8, 16 after CSM's ×2).</summary>
    public static IReadOnlyList<int> Sides(int resolution) => [resolution / 2, resolution / 4, resolution / 8, resolution / 16];

    /// <summary>The four mixed maps of images in −1..1, finest first.</summary>
    public Tensor[] Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        // Channels-last strides (libtorch's channels_last, which TorchSharp 0.107 cannot name): the CPU convolutions
        // of the frozen network run 11-21% faster so (docs/benchmarks.md); the values are the same up to rounding.
        var input = backbone.PreprocessSigned(images);
        var stages = backbone.Stages(input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
        var channelMixed = stages.Select((s, i) => ccm[i].forward(s)).ToArray();
        var scaleMixed = new Tensor[4];
        Tensor? below = null;
        for (int i = 3; i >= 0; i--)
        {
            var x = below is null ? channelMixed[i] : channelMixed[i] + below;
            x = functional.interpolate(x, scale_factor: [2, 2], mode: InterpolationMode.Bilinear, align_corners: true);
            scaleMixed[i] = below = csm[i].forward(x);
        }
        foreach (var f in scaleMixed) f.MoveToOuterDisposeScope();
        return scaleMixed;
    }

    /// <summary>Frozen: training mode is never entered.</summary>
    public override void train(bool train = true) => base.train(false);
}

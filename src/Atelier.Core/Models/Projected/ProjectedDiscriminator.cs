using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Projected;

/// <summary>
/// Sauer 2021's projected discriminator: the (already augmented) image through the frozen <see cref="ProjectedFeatures"/>
/// (ImageNet ResNet18 stages with fixed random channel and scale mixing), and one trainable
/// <see cref="ScaleDiscriminator"/> per feature map. Its logits are every small discriminator's map of logits side by
/// side, [B·K]: a loss that averages over logits (hinge, least squares, the cross-entropy games) then weighs each as
/// projected-gan does. The frozen network is a <see cref="FrozenModule"/>: not trained, not initialised, not in
/// checkpoints (its weight hash is).
/// </summary>
public sealed class ProjectedDiscriminator : Module<Tensor, Tensor>
{
    /// <summary>The frozen part's identity in manifests.</summary>
    public const string FeaturesId = "resnet18-imagenet+random-mixing-seed-0";

    private readonly FrozenModule features;
    private readonly ModuleList<ScaleDiscriminator> heads;
    private readonly int _upsample;

    public ProjectedDiscriminator(ModelOptions options) : base(nameof(ProjectedDiscriminator))
    {
        _upsample = options.ProjectedUpsample ? 2 : 1;
        var network = new ProjectedFeatures();
        features = new FrozenModule(FeaturesId, network);
        heads = new ModuleList<ScaleDiscriminator>();
        var sides = ProjectedFeatures.Sides(options.Resolution * _upsample);
        for (int i = 0; i < 4; i++) heads.Add(new ScaleDiscriminator(network.Channels[i], sides[i], options.DiscriminatorWidth));
        LogitsPerImage = heads.Sum(h => h.LogitsPerImage);
        RegisterComponents();
    }

    /// <summary>K: logits per image, over the four small discriminators.</summary>
    public int LogitsPerImage { get; }

    /// <summary>[B, C, R, R] in −1..1 → [B·K] logits.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = _upsample == 1 ? images : functional.interpolate(images, scale_factor: [_upsample, _upsample], mode: InterpolationMode.Bilinear, align_corners: false);
        if (x.shape[1] == 1) x = x.expand(-1, 3, -1, -1);
        var maps = ((ProjectedFeatures)features.Module).Features(x);
        return cat(maps.Select((m, i) => heads[i].forward(m)).ToArray(), 1).flatten().MoveToOuterDisposeScope();
    }
}

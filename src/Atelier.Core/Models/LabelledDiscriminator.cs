using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models;

/// <summary>
/// A discriminator that uses labels. Projection (Miyato &amp; Koyama 2018): D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩,
/// with φ the inner discriminator's last hidden layer and ψ its logit. Style head (Elgammal 2017, CAN): a dense
/// layer that classifies φ(x) into the known classes. A projection discriminator takes the images' labels with
/// them (<see cref="ForwardWithFeatures(Tensor, Tensor?)"/>): labels are an input, not state kept between passes.
/// </summary>
public sealed class LabelledDiscriminator : Module<Tensor, Tensor>, IFeatureDiscriminator
{
    private readonly Module<Tensor, Tensor> inner;
    private readonly Module<Tensor, Tensor>? projection;
    private readonly Module<Tensor, Tensor>? class_head;

    public LabelledDiscriminator(Module<Tensor, Tensor> innerDiscriminator, ModelOptions options) : base(nameof(LabelledDiscriminator))
    {
        inner = innerDiscriminator;
        var features = ((IFeatureDiscriminator)innerDiscriminator).FeatureSize;
        FeatureSize = features;
        if (options.Classes > 0) projection = Embedding(options.Classes, features);
        if (options.ClassHead > 0) class_head = ModelBlocks.DiscriminatorLinear(options, features, options.ClassHead, bias: true);
        RegisterComponents();
    }

    public long FeatureSize { get; }

    /// <summary>True when every pass needs the images' labels (a projection discriminator).</summary>
    public bool NeedsLabels => projection is not null;

    public override Tensor forward(Tensor images) => ForwardWithFeatures(images, null).Logits;

    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images) => ForwardWithFeatures(images, null);

    /// <param name="images">[B, C, R, R]</param>
    /// <param name="labels">[B] class indices of the images; required by a projection discriminator, ignored otherwise.</param>
    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor images, Tensor? labels)
    {
        var (logits, features) = ((IFeatureDiscriminator)inner).ForwardWithFeatures(images);
        if (projection is null) return (logits, features);
        if (labels is null || labels.shape[0] != images.shape[0])
            throw new InvalidOperationException($"the projection discriminator needs one label per image ({images.shape[0]}), given with the images.");
        return (logits + (projection.forward(labels) * features).sum(1), features);
    }

    /// <summary>Class logits [B, K] of features from <see cref="ForwardWithFeatures(Tensor, Tensor?)"/>.</summary>
    public Tensor ClassLogits(Tensor features) =>
        class_head?.forward(features) ?? throw new InvalidOperationException("this discriminator has no class head");
}

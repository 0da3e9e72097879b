using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Models.Projected;

/// <summary>
/// --discriminator ensemble: the family's own pixel discriminator beside the <see cref="ProjectedDiscriminator"/>, so
/// the game also sees the pixels themselves: their colours, which ImageNet features and colour augmentation nearly
/// ignore, and what ImageNet's class statistics would otherwise let leak (Kynkäänniemi 2023). Its logits are the
/// pixel logit repeated K times beside the projected discriminator's K: a loss that averages over logits then gives
/// both discriminators the same weight, half each.
/// </summary>
public sealed class EnsembleDiscriminator : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> pixel;
    private readonly ProjectedDiscriminator projected;

    public EnsembleDiscriminator(ModelOptions options) : base(nameof(EnsembleDiscriminator))
    {
        pixel = options.Family.CreateDiscriminator(options with { Discriminator = DiscriminatorKind.Pixel, ProjectedUpsample = false });
        projected = new ProjectedDiscriminator(options);
        RegisterComponents();
    }

    /// <summary>Logits per image: twice the projected discriminator's.</summary>
    public int LogitsPerImage => 2 * projected.LogitsPerImage;

    /// <summary>[B, C, R, R] in −1..1 → [B·2K] logits: the pixel logit K times, then the projected K.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var p = pixel.forward(images).view(-1, 1).expand(-1, projected.LogitsPerImage).flatten();
        return cat([p, projected.forward(images)], 0).MoveToOuterDisposeScope();
    }
}

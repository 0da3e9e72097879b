using Atelier.Models.Pretrained;
using static TorchSharp.torch;

namespace Atelier.Projection;

/// <summary>
/// How far generated images are from the picture being projected: pixels, edges (fixed Sobel filters on the
/// luminance, no weights) and the frozen ResNet18's stem+layer1 and layer2 activations, each channel-normalised
/// per position as LPIPS does. With a mask (iGAN's sketch constraint) only the masked pixels constrain: the target is
/// the picture inside the mask and the generated image itself outside it, so whatever lies outside the mask has no
/// influence at all, and each term is averaged over the mask's area.
/// </summary>
public sealed class ProjectionLoss
{
    /// <summary>Images smaller than this are upsampled (bilinear) before the feature network, so that layer2 still
    /// has a few positions per side (a 32-pixel image would give it 4×4).</summary>
    public const int FeatureSide = 64;

    private readonly ResNet18Network? _network;
    private readonly ProjectionOptions _options;

    /// <param name="network">The feature network; may be null when <see cref="ProjectionOptions.FeatureWeight"/> is 0.</param>
    /// <param name="target">The picture [1, C, R, R] in −1..1.</param>
    /// <param name="mask">[1, 1, R, R] in 0..1 (1 = constrains), or null for the whole picture.</param>
    public ProjectionLoss(ResNet18Network? network, Tensor target, Tensor? mask, ProjectionOptions options)
    {
        if (options.FeatureWeight > 0 && network is null) throw new ArgumentException("the feature term needs the ResNet18 network", nameof(network));
        if (target.dim() != 4 || target.shape[0] != 1) throw new ArgumentException("the target is one image [1, C, R, R]", nameof(target));
        if (mask is not null && (mask.shape[0] != 1 || mask.shape[1] != 1 || mask.shape[2] != target.shape[2] || mask.shape[3] != target.shape[3]))
            throw new ArgumentException("the mask is [1, 1, R, R] of the target's size", nameof(mask));
        _network = network;
        _options = options;
        Target = target;
        Mask = mask;
    }

    public Tensor Target { get; }

    public Tensor? Mask { get; }

    /// <summary>[B] losses of images [B, C, R, R] (each row's loss depends on its own image only); the latent prior is
    /// added by the projector.</summary>
    public Tensor PerImage(Tensor images)
    {
        using var scope = NewDisposeScope();
        var batch = images.shape[0];
        var target = Target.expand(batch, -1, -1, -1);
        Tensor mask;
        if (Mask is null)
        {
            mask = ones(1, 1, images.shape[2], images.shape[3], device: images.device);
        }
        else
        {
            mask = Mask;
            target = mask * target + (1 - mask) * images.detach();
        }
        var area = mask.sum() + 1e-8;
        var total = zeros(batch, device: images.device);
        if (_options.PixelWeight > 0)
            total = total + _options.PixelWeight * ((images - target).square() * mask).sum([1, 2, 3]) / (area * images.shape[1]);
        if (_options.EdgeWeight > 0)
        {
            var (gx, gy) = Sobel(Luma(images));
            var (tx, ty) = Sobel(Luma(target));
            total = total + _options.EdgeWeight * (((gx - tx).square() + (gy - ty).square()) * mask).sum([1, 2, 3]) / area;
        }
        if (_options.FeatureWeight > 0)
            total = total + _options.FeatureWeight * Features(images, target, mask);
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>Rec. 601 luminance [B, 1, H, W] of 1- or 3-channel images.</summary>
    public static Tensor Luma(Tensor images) =>
        images.shape[1] == 1 ? images : images[.., 0..1] * 0.299 + images[.., 1..2] * 0.587 + images[.., 2..3] * 0.114;

    /// <summary>Horizontal and vertical Sobel gradients of [B, 1, H, W] (edges replicated), divided by 8 so that a
    /// step of height h between two flat regions gives a gradient of h/2 on each side of it.</summary>
    public static (Tensor X, Tensor Y) Sobel(Tensor grey)
    {
        using var scope = NewDisposeScope();
        var kx = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, [1, 1, 3, 3], device: grey.device) / 8;
        var ky = kx.transpose(2, 3);
        var padded = nn.functional.pad(grey, [1, 1, 1, 1], TorchSharp.PaddingModes.Replicate);
        var x = nn.functional.conv2d(padded, kx);
        var y = nn.functional.conv2d(padded, ky);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Σ over channels of the squared difference of unit-length activations, averaged over the mask's
    /// positions, summed over stem+layer1 and layer2.</summary>
    private Tensor Features(Tensor images, Tensor target, Tensor mask)
    {
        int side = (int)images.shape[2];
        if (side < FeatureSide)
        {
            images = nn.functional.interpolate(images, [FeatureSide, FeatureSide], mode: InterpolationMode.Bilinear, align_corners: false);
            target = nn.functional.interpolate(target, [FeatureSide, FeatureSide], mode: InterpolationMode.Bilinear, align_corners: false);
            mask = nn.functional.interpolate(mask, [FeatureSide, FeatureSide], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        if (images.shape[1] == 1) (images, target) = (images.expand(-1, 3, -1, -1), target.expand(-1, 3, -1, -1));
        var fa = _network!.Stages(_network.PreprocessSigned(images), PerceptualDistance.Stages);
        var fb = _network.Stages(_network.PreprocessSigned(target), PerceptualDistance.Stages);
        var total = zeros(images.shape[0], device: images.device);
        for (int i = 0; i < fa.Length; i++)
        {
            var m = nn.functional.interpolate(mask, [fa[i].shape[2], fa[i].shape[3]], mode: InterpolationMode.Area);
            var d = (Unit(fa[i]) - Unit(fb[i])).square().sum([1], keepdim: true);
            total = total + (d * m).sum([1, 2, 3]) / (m.sum() + 1e-8);
        }
        return total;
    }

    private static Tensor Unit(Tensor f) => f / (f.square().sum([1], keepdim: true).sqrt() + 1e-10);
}

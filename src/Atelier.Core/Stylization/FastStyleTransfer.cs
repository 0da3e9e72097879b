using Atelier.Models.Pretrained;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Stylization;

/// <summary>
/// Style transfer in one forward pass per level (Li et al. 2017, "Universal Style Transfer via Feature Transforms"),
/// on the frozen ResNet18 and <see cref="StyleDecoders"/> trained for reconstruction only, so that any style works
/// without training for it. Coarse to fine from <see cref="StyleTransferOptions.Depth"/>: the picture's features at that
/// level are transformed to the style's (<see cref="FeatureTransforms"/>: WCT or AdaIN), blended with the untransformed
/// ones by <see cref="StyleTransferOptions.Strength"/> (0..1), and decoded; the result's features one level finer are
/// transformed and decoded in turn, down to layer1. Several styles mix their transformed features by weight (Li 2017's style
/// interpolation); a mask blends transformed and original features at each level, and the result with the content
/// outside it; --preserve-color works as in <see cref="StyleTransfer"/>. Deterministic for the same thread count.
/// </summary>
public sealed class FastStyleTransfer(ResNet18Network network, StyleDecoders decoders)
{
    /// <summary>The stylised image [1, 3, H, W] in 0..255 (not rounded) at the content's size.</summary>
    public Tensor Stylize(Tensor content, IReadOnlyList<WeightedStyle> styles, Tensor? mask, StyleTransferOptions options,
        IProgress<StyleProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.Method == StyleMethod.Gatys) throw new ArgumentException("the fast path needs --method wct or adain", nameof(options));
        if (styles.Count == 0) throw new ArgumentException("style transfer needs at least one style image", nameof(styles));
        if (content.dim() != 4 || content.shape[0] != 1 || content.shape[1] != 3) throw new ArgumentException($"content must be [1, 3, H, W], not [{string.Join(", ", content.shape)}]", nameof(content));
        if (mask is not null && (mask.shape[2] != content.shape[2] || mask.shape[3] != content.shape[3])) throw new ArgumentException("the mask must have the content's size", nameof(mask));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long height = content.shape[2], width = content.shape[3];
        var work = content;
        var workStyles = styles;
        if (options.PreserveColor)
        {
            work = StyleTransfer.Grey(StyleTransfer.Luma(content));
            workStyles = [.. styles.Select(s => s with { Image = StyleTransfer.Grey(StyleTransfer.MatchStatistics(StyleTransfer.Luma(s.Image), StyleTransfer.Luma(content))) })];
        }
        // Every level decodes to the size it was given only when that is a multiple of layer3's stride: pad by
        // repeating the edge, and crop at the end.
        long align = StyleDecoders.Alignment;
        long padH = (align - height % align) % align, padW = (align - width % align) % align;
        var picture = padH + padW == 0 ? work : functional.pad(work, [0, padW, 0, padH], TorchSharp.PaddingModes.Replicate);
        var region = mask is null ? null : padH + padW == 0 ? mask : functional.pad(mask, [0, padW, 0, padH], TorchSharp.PaddingModes.Replicate);
        double total = workStyles.Sum(s => s.Weight);
        // ResNet18's stride-2 blocks need sides that are multiples of the stride: a style image is cropped to them
        // (its statistics are what matter, so nothing is invented at its edges).
        // Each style's features at every level used, from one pass of the network.
        var styleLevels = workStyles.Select(s => network.Stages(network.Preprocess(CropToAlignment(s.Image, align)), options.Depth)).ToList();
        int done = 0;
        for (int level = options.Depth; level >= 1; level--)
        {
            cancel.ThrowIfCancellationRequested();
            using var inner = NewDisposeScope();
            var features = StyleDecoders.Encode(network, network.Preprocess(picture), level);
            Tensor? mixed = null;
            for (int i = 0; i < workStyles.Count; i++)
            {
                var transformed = FeatureTransforms.Apply(options.Method, features, styleLevels[i][level - 1]) * (workStyles[i].Weight / total);
                mixed = mixed is null ? transformed : mixed + transformed;
            }
            var blended = mixed! * options.Strength + features * (1 - options.Strength);
            if (region is not null)
            {
                var m = functional.interpolate(region, [features.shape[2], features.shape[3]], mode: InterpolationMode.Area);
                blended = m * blended + (1 - m) * features;
            }
            picture = ((decoders[level].forward(blended).clamp(-1, 1) + 1) * 127.5).MoveToOuterDisposeScope();
            progress?.Report(new StyleProgress(++done, options.Depth, $"level {level} ({EnumName(options.Method)})", double.NaN));
        }
        var result = picture[.., .., ..(int)height, ..(int)width];
        if (options.PreserveColor) result = (content + (StyleTransfer.Luma(result) - StyleTransfer.Luma(content))).clamp(0, 255);
        if (mask is not null) result = mask * result + (1 - mask) * content;
        return result.contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor CropToAlignment(Tensor image, long align)
    {
        long h = image.shape[2] / align * align, w = image.shape[3] / align * align;
        if (h == 0 || w == 0) throw new Platform.OptionException($"--style: a style image is {image.shape[3]}×{image.shape[2]} pixels at the result's scale; the fast path needs at least {align}×{align} (use a less elongated image, or a larger --size).");
        return image[.., .., ..(int)h, ..(int)w];
    }

    private static string EnumName(StyleMethod method) => method == StyleMethod.Wct ? "WCT" : "AdaIN";
}

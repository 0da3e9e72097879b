using Atelier.Models.Pretrained;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Atelier.Stylization;

/// <summary>A style image and its share of the style (weights are normalised over all styles).</summary>
public sealed record WeightedStyle(Tensor Image, double Weight);

/// <summary>
/// Optimisation-based style transfer (Gatys, Ecker and Bethge 2016) on the frozen ImageNet ResNet18: the picture
/// starts as the content image and L-BFGS moves its pixels until the Gram matrices of its stem, layer1, layer2, layer3
/// and layer4 activations match the style's, while its layer3 activations stay near the content's. The style layers are
/// transformed as <see cref="FeatureSmoothing"/> says. Both terms are relative (the content term to the content's own
/// activations, the style term to its value at the start), so <see cref="StyleTransferOptions.Strength"/> means the same
/// for every smoothing and size. Images are RGB 0..255 [1, 3, H, W]; a mask [1, 1, H, W] in 0..1 says where the style
/// applies (its Gram matrices are taken over the masked positions, and the result outside it is the content).
/// Deterministic: the same images, options and thread count give the same pixels.
/// </summary>
public sealed class StyleTransfer(ResNet18Network network)
{
    /// <summary>Layer whose activations the content term keeps (layer3, index 3 of <see cref="ResNet18Network.StyleLayers"/>).</summary>
    public const int ContentLayer = 3;

    /// <summary>Style term weight at strength 1 (content and style terms are both relative).</summary>
    public const double StyleWeight = 10;

    /// <summary>SWAG's released rescaling of layer3 and layer4.</summary>
    public const double RescaleFactor = 0.001;

    private const int HistorySize = 20;

    /// <summary>Iterations <see cref="Stylize"/> will run for a result of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static int TotalIterations(int height, int width, StyleTransferOptions options)
    {
        if (options.Method != StyleMethod.Gatys) return options.Depth;
        if (Math.Max(height, width) <= options.Tile) return options.Steps;
        int tiles = 0;
        for (int r = 0; r < StyleTransferOptions.TileRounds; r++) tiles += Tiles(height, width, options.Tile, r).Count;
        return options.Steps + tiles * options.TileSteps;
    }

    /// <summary>The stylised image [1, 3, H, W] in 0..255 (not rounded) at the content's size.</summary>
    public Tensor Stylize(Tensor content, IReadOnlyList<WeightedStyle> styles, Tensor? mask, StyleTransferOptions options,
        IProgress<StyleProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.Method != StyleMethod.Gatys) throw new ArgumentException($"{options.Method} is the fast path's: use FastStyleTransfer", nameof(options));
        if (styles.Count == 0) throw new ArgumentException("style transfer needs at least one style image", nameof(styles));
        if (content.dim() != 4 || content.shape[0] != 1 || content.shape[1] != 3) throw new ArgumentException($"content must be [1, 3, H, W], not [{string.Join(", ", content.shape)}]", nameof(content));
        if (mask is not null && (mask.shape[2] != content.shape[2] || mask.shape[3] != content.shape[3])) throw new ArgumentException("the mask must have the content's size", nameof(mask));
        using var scope = NewDisposeScope();
        int height = (int)content.shape[2], width = (int)content.shape[3];
        var work = content;
        var workStyles = styles;
        if (options.PreserveColor)
        {
            // Gatys et al. 2017, luminance-only transfer: match the style's luminance statistics to the content's, stylise
            // the luminance as a grey image, then put the content's colours back.
            work = Grey(Luma(content));
            workStyles = [.. styles.Select(s => s with { Image = Grey(MatchStatistics(Luma(s.Image), Luma(content))) })];
        }
        var counter = new Counter(TotalIterations(height, width, options), progress);
        Tensor result;
        if (Math.Max(height, width) <= options.Tile)
        {
            result = Optimise(work, Targets(workStyles, options.Smoothing), mask, work, options, options.Steps, "whole image", counter, cancel);
        }
        else
        {
            double factor = (double)options.Tile / Math.Max(height, width);
            var small = Resize(work, factor);
            var smallMask = mask is null ? null : functional.interpolate(mask, [small.shape[2], small.shape[3]], mode: InterpolationMode.Area);
            IReadOnlyList<WeightedStyle> smallStyles = [.. workStyles.Select(s => s with { Image = Resize(s.Image, factor) })];
            var first = Optimise(small, Targets(smallStyles, options.Smoothing), smallMask, small, options, options.Steps, "whole image", counter, cancel);
            result = functional.interpolate(first, [height, width], mode: InterpolationMode.Bicubic, align_corners: false).clamp(0, 255);
            result = Refine(result, work, workStyles, mask, options, counter, cancel);
        }
        if (options.PreserveColor) result = (content + (Luma(result) - Luma(content))).clamp(0, 255);
        if (mask is not null) result = mask * result + (1 - mask) * content;
        return result.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Full-size refinement: rounds of tiles, each optimised from the current picture and blended back with a
    /// window that falls off over the overlap; the grid shifts by half a stride from round to round.</summary>
    private Tensor Refine(Tensor picture, Tensor content, IReadOnlyList<WeightedStyle> styles, Tensor? mask, StyleTransferOptions options, Counter counter, CancellationToken cancel)
    {
        int height = (int)picture.shape[2], width = (int)picture.shape[3], tile = options.Tile;
        var targets = Targets(styles, options.Smoothing);
        for (int round = 0; round < StyleTransferOptions.TileRounds; round++)
        {
            var tiles = Tiles(height, width, tile, round);
            using var sum = zeros_like(picture);
            using var weights = zeros(1, 1, height, width, device: picture.device);
            for (int t = 0; t < tiles.Count; t++)
            {
                using var scope = NewDisposeScope();
                var (y, x, h, w) = tiles[t];
                var start = picture[.., .., y..(y + h), x..(x + w)];
                var contentTile = content[.., .., y..(y + h), x..(x + w)];
                var maskTile = mask?[.., .., y..(y + h), x..(x + w)];
                var stage = $"tile round {round + 1}/{StyleTransferOptions.TileRounds}, {t + 1}/{tiles.Count}";
                // A tile wholly outside the mask keeps its pixels (the result is the content there anyway).
                bool outside = maskTile is not null && maskTile.sum().item<float>() < 1e-3f;
                if (outside) counter.Skip(options.TileSteps);
                var done = outside ? start : Optimise(start, targets, maskTile, contentTile, options, options.TileSteps, stage, counter, cancel);
                var window = Window(h, w, tile / 8, picture.device);
                sum[.., .., y..(y + h), x..(x + w)].add_(done * window);
                weights[.., .., y..(y + h), x..(x + w)].add_(window);
            }
            picture = (sum / weights).clamp(0, 255);
        }
        return picture;
    }

    /// <summary>Tiles (y, x, h, w) of side <paramref name="tile"/> (clipped to the image) with a quarter overlap, the grid
    /// shifted by <c>round</c> half strides.</summary>
    internal static List<(int Y, int X, int H, int W)> Tiles(int height, int width, int tile, int round)
    {
        int stride = tile * 3 / 4, shift = round % 2 * stride / 2;
        var result = new List<(int, int, int, int)>();
        foreach (var y in Starts(height, tile, stride, shift))
            foreach (var x in Starts(width, tile, stride, shift))
                result.Add((y, x, Math.Min(tile, height - y), Math.Min(tile, width - x)));
        return result;
    }

    private static List<int> Starts(int length, int tile, int stride, int shift)
    {
        if (length <= tile) return [0];
        var starts = new SortedSet<int>();
        for (int s = -shift; s < length; s += stride)
        {
            starts.Add(Math.Clamp(s, 0, length - tile));
            if (s + tile >= length) break;
        }
        return [.. starts];
    }

    /// <summary>Blending weights: 1 inside, falling linearly to 1/ramp at the tile's edges.</summary>
    private static Tensor Window(int h, int w, int ramp, Device device)
    {
        ramp = Math.Max(1, ramp);
        var ys = arange(h, dtype: float32, device: device);
        var xs = arange(w, dtype: float32, device: device);
        var dy = minimum(ys + 1, h - ys).clamp(max: ramp) / ramp;
        var dx = minimum(xs + 1, w - xs).clamp(max: ramp) / ramp;
        return minimum(dy.view(1, 1, h, 1), dx.view(1, 1, 1, w));
    }

    /// <summary>The style's Gram matrices per layer, mixed by the styles' weights.</summary>
    private Tensor[] Targets(IReadOnlyList<WeightedStyle> styles, FeatureSmoothing smoothing)
    {
        using var _no = no_grad();
        using var scope = NewDisposeScope();
        double total = styles.Sum(s => s.Weight);
        Tensor[]? mixed = null;
        foreach (var style in styles)
        {
            var layers = Features(style.Image);
            var valid = PositionWeights(layers, style.Image, null);
            var grams = Transform(layers, smoothing).Select((l, i) => Gram(l, valid[i])).ToArray();
            mixed = mixed is null
                ? [.. grams.Select(g => g * (style.Weight / total))]
                : [.. mixed.Zip(grams, (m, g) => m + g * (style.Weight / total))];
        }
        foreach (var m in mixed!) m.MoveToOuterDisposeScope();
        return mixed;
    }

    /// <summary>The five layers of an image [1, 3, H, W]. ResNet18's stride-2 layers need sides that are multiples of 32,
    /// so the image is padded first (edge pixels repeated); <see cref="PositionWeights"/> leaves the padding out.</summary>
    private Tensor[] Features(Tensor image)
    {
        using var scope = NewDisposeScope();
        var (padH, padW) = Padding(image);
        var padded = padH + padW == 0 ? image : functional.pad(image, [0, padW, 0, padH], TorchSharp.PaddingModes.Replicate);
        var layers = network.StyleLayers(network.Preprocess(padded));
        foreach (var l in layers) l.MoveToOuterDisposeScope();
        return layers;
    }

    /// <summary>Per layer, the weights of its positions for an image of <paramref name="image"/>'s size: 0 over the
    /// padding, inside <paramref name="mask"/>'s value (1 without one), area-averaged to the layer.</summary>
    private static Tensor[] PositionWeights(Tensor[] layers, Tensor image, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var (padH, padW) = Padding(image);
        var inside = mask ?? ones(1, 1, image.shape[2], image.shape[3], device: image.device);
        var region = padH + padW == 0 ? inside : functional.pad(inside, [0, padW, 0, padH]);
        var weights = layers.Select(l => functional.interpolate(region, [l.shape[2], l.shape[3]], mode: InterpolationMode.Area)).ToArray();
        foreach (var w in weights) w.MoveToOuterDisposeScope();
        return weights;
    }

    private static (long Height, long Width) Padding(Tensor image) => ((32 - image.shape[2] % 32) % 32, (32 - image.shape[3] % 32) % 32);

    private Tensor Optimise(Tensor start, Tensor[] targets, Tensor? mask, Tensor content, StyleTransferOptions options, int iterations, string stage, Counter counter, CancellationToken cancel)
    {
        using var scope = NewDisposeScope();
        Tensor contentFeatures, contentWeights, contentScale;
        Tensor[] styleWeights;
        double initialStyle;
        using (no_grad())
        {
            var layers = Features(content);
            var valid = PositionWeights(layers, content, null);
            styleWeights = mask is null ? valid : PositionWeights(layers, content, mask);
            contentFeatures = layers[ContentLayer];
            contentWeights = valid[ContentLayer];
            contentScale = Weighted(contentFeatures.square(), contentWeights).clamp(min: 1e-12);
            initialStyle = StyleLoss(Transform(layers, options.Smoothing), targets, styleWeights, options.Smoothing).item<float>();
        }
        if (!(initialStyle > 1e-30)) initialStyle = 1e-30;
        double styleWeight = StyleWeight * options.Strength / initialStyle;
        var shape = start.shape;
        var optimiser = new Lbfgs(HistorySize, 0, 255);
        int reported = 0;
        var result = optimiser.Minimise(start, point =>
        {
            using var inner = NewDisposeScope();
            var picture = point.detach().view(shape).requires_grad_(true);
            var layers = Features(picture);
            var contentLoss = Weighted((layers[ContentLayer] - contentFeatures).square(), contentWeights) / contentScale;
            var loss = contentLoss + StyleLoss(Transform(layers, options.Smoothing), targets, styleWeights, options.Smoothing) * styleWeight;
            var gradient = autograd.grad([loss], [picture])[0].flatten();
            return (loss.item<float>(), gradient.MoveToOuterDisposeScope());
        }, iterations, (used, loss) =>
        {
            counter.Advance(used - reported, stage, loss);
            reported = used;
        }, cancel);
        // A run that converged early has done its work: the remaining iterations are not run.
        counter.Skip(iterations - reported);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Mean over channels and weighted positions.</summary>
    private static Tensor Weighted(Tensor values, Tensor weights) =>
        (values * weights).sum() / (weights.sum().clamp(min: 1e-6) * values.shape[1]);

    private static Tensor StyleLoss(Tensor[] layers, Tensor[] targets, Tensor[] weights, FeatureSmoothing smoothing)
    {
        Tensor? total = null;
        for (int i = 0; i < layers.Length; i++)
        {
            var difference = (Gram(layers[i], weights[i]) - targets[i]).square().mean();
            if (smoothing == FeatureSmoothing.Balanced) difference = difference / targets[i].square().mean().clamp(min: 1e-30);
            total = total is null ? difference : total + difference;
        }
        return total!;
    }

    private static Tensor[] Transform(Tensor[] layers, FeatureSmoothing smoothing) => smoothing switch
    {
        FeatureSmoothing.Softmax => [.. layers.Select(Softmax)],
        FeatureSmoothing.SoftmaxDeep => [.. layers.Select((l, i) => i >= 3 ? Softmax(l) : l)],
        FeatureSmoothing.Rescale => [.. layers.Select((l, i) => i >= 3 ? l * RescaleFactor : l)],
        _ => layers,
    };

    /// <summary>SWAG's softmax at each position over the channels (nn.Softmax2d in the released code).</summary>
    private static Tensor Softmax(Tensor layer) => functional.softmax(layer, 1);

    /// <summary>F Fᵀ / (C · positions) over the weighted positions (SWAG's code normalises by C · H · W).</summary>
    internal static Tensor Gram(Tensor layer, Tensor weights)
    {
        long c = layer.shape[1];
        var flat = (layer * weights).view(c, -1);
        return flat.matmul(flat.t()) / (weights.sum().clamp(min: 1e-3) * c);
    }

    /// <summary>Rec. 601 luma [1, 1, H, W] of RGB images.</summary>
    internal static Tensor Luma(Tensor rgb) => (rgb[.., 0..1] * 0.299 + rgb[.., 1..2] * 0.587 + rgb[.., 2..3] * 0.114);

    internal static Tensor Grey(Tensor luma) => luma.expand(-1, 3, -1, -1).contiguous();

    /// <summary>The source's luminance shifted and scaled to the reference's mean and standard deviation.</summary>
    internal static Tensor MatchStatistics(Tensor source, Tensor reference) =>
        ((source - source.mean()) / source.std().clamp(min: 1e-6) * reference.std() + reference.mean()).clamp(0, 255);

    /// <summary>Area-averaged resize by a factor below 1.</summary>
    private static Tensor Resize(Tensor image, double factor) =>
        functional.interpolate(image, [Math.Max(1, (long)Math.Round(image.shape[2] * factor)), Math.Max(1, (long)Math.Round(image.shape[3] * factor))], mode: InterpolationMode.Area);

    private sealed class Counter(int total, IProgress<StyleProgress>? progress)
    {
        private int done;

        public void Advance(int iterations, string stage, double loss)
        {
            done = Math.Min(total, done + iterations);
            progress?.Report(new StyleProgress(done, total, stage, loss));
        }

        public void Skip(int iterations) => done = Math.Min(total, done + iterations);
    }
}

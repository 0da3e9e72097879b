using Atelier.Imaging;
using Atelier.Models.Pretrained;
using Atelier.Stylization;
using static TorchSharp.torch;

namespace Atelier.Core.Tests.Stylization;

public sealed class StyleTransferTests
{
    private static readonly Lazy<ResNet18Network> Network = new(() => ResNet18Network.Load());

    /// <summary>Sum over the stem, layer1 and layer2 (where the default smoothing puts the style) of the relative Gram
    /// distance of raw activations, computed here independently of the engine's code.</summary>
    private static double StyleDistance(Tensor picture, Tensor style)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var net = Network.Value;
        var a = net.StyleLayers(net.Preprocess(nn.functional.pad(picture, [0, 0, 0, 16], TorchSharp.PaddingModes.Replicate)[.., .., 0..64, ..]));
        var b = net.StyleLayers(net.Preprocess(style));
        double total = 0;
        for (int i = 0; i < 3; i++)
        {
            Tensor G(Tensor f) { var m = f.flatten(2)[0]; return m.matmul(m.t()) / m.numel(); }
            var gb = G(b[i]);
            total += ((G(a[i]) - gb).square().sum() / gb.square().sum()).item<float>();
        }
        return total;
    }

    [Fact]
    public void Gram_matrices_match_a_hand_computation_with_and_without_weights()
    {
        // Two channels at 2×2 positions: f0 = [1, 2, 3, 4], f1 = [0, 1, 0, 2].
        using var layer = tensor(new float[] { 1, 2, 3, 4, 0, 1, 0, 2 }, [1, 2, 2, 2]);
        using var all = ones(1, 1, 2, 2);
        using var g = StyleTransfer.Gram(layer, all);
        // f0·f0 = 30, f0·f1 = 10, f1·f1 = 5; divided by C · positions = 8.
        Assert.Equal(new[] { 30f / 8, 10f / 8, 10f / 8, 5f / 8 }, g.data<float>().ToArray(), new FloatEq(1e-6f));
        // Only the first two positions count: f0 = [1, 2], f1 = [0, 1] → 5, 2, 1 over C · 2 = 4.
        using var half = tensor(new float[] { 1, 1, 0, 0 }, [1, 1, 2, 2]);
        using var gh = StyleTransfer.Gram(layer, half);
        Assert.Equal(new[] { 5f / 4, 2f / 4, 2f / 4, 1f / 4 }, gh.data<float>().ToArray(), new FloatEq(1e-6f));
    }

    [Fact]
    public void Lbfgs_finds_the_minimum_of_an_ill_conditioned_quadratic_inside_its_box_and_its_budget()
    {
        // f(x) = Σ a_i (x_i − c_i)² with curvatures 1 … 1000; one target lies outside the box [0, 255].
        var a = tensor(new float[] { 1, 10, 100, 1000, 3 });
        var c = tensor(new float[] { 10, 200, 37.5f, 128, 300 });
        int calls = 0;
        var lbfgs = new Lbfgs(10, 0, 255);
        using var start = full(5, 100f);
        using var x = lbfgs.Minimise(start, p =>
        {
            calls++;
            var d = p - c;
            return ((a * d * d).sum().item<float>(), 2 * a * d);
        }, 60, (_, _) => { }, CancellationToken.None);
        Assert.True(calls <= 60, $"{calls} evaluations of 60");
        Assert.Equal(new[] { 10f, 200, 37.5f, 128, 255 }, x.data<float>().ToArray(), new FloatEq(0.05f));
    }

    [Fact]
    public void Tiles_cover_every_pixel_stay_inside_and_shift_between_rounds()
    {
        foreach (var (h, w, tile) in new[] { (300, 200, 128), (512, 513, 512), (100, 1000, 64) })
        {
            var rounds = new List<List<(int Y, int X, int H, int W)>>();
            for (int r = 0; r < 2; r++)
            {
                var tiles = StyleTransfer.Tiles(h, w, tile, r);
                var covered = new bool[h, w];
                foreach (var (y, x, th, tw) in tiles)
                {
                    Assert.True(y >= 0 && x >= 0 && y + th <= h && x + tw <= w && th <= tile && tw <= tile, $"tile {(y, x, th, tw)} of {h}x{w}");
                    for (int i = y; i < y + th; i++) for (int j = x; j < x + tw; j++) covered[i, j] = true;
                }
                Assert.All(Enumerable.Range(0, h * w), i => Assert.True(covered[i / w, i % w], $"pixel {i / w},{i % w} of {h}x{w} in round {r}"));
                rounds.Add(tiles);
            }
            if (Math.Max(h, w) >= tile + tile * 3 / 8) Assert.NotEqual(rounds[0], rounds[1]);
        }
    }

    [Fact]
    public void Stylising_moves_the_picture_toward_the_style_deterministically()
    {
        using var content = StyleTestImages.Content();
        using var style = StyleTestImages.Stripes();
        var options = new StyleTransferOptions(Size: 64, Steps: 25);
        var transfer = new StyleTransfer(Network.Value);
        var progress = new List<StyleProgress>();
        using var first = transfer.Stylize(content, [new WeightedStyle(style, 1)], null, options, new Reporter(progress.Add));
        using var second = transfer.Stylize(content, [new WeightedStyle(style, 1)], null, options);
        Assert.Equal(first.shape, content.shape);
        Assert.True(first.isfinite().all().item<bool>(), $"not finite: {first.isnan().sum().item<long>()} NaN");
        Assert.True(first.eq(second).all().item<bool>(), "the same inputs and options gave different pixels");
        Assert.InRange(first.min().item<float>(), 0, 255);
        Assert.InRange(first.max().item<float>(), 0, 255);
        double before = StyleDistance(content, style), after = StyleDistance(first, style);
        Assert.True(after < 0.5 * before, $"style distance {before:F3} → {after:F3}; losses {string.Join(" ", progress.Select(p => $"{p.Done}:{p.Loss:F3}"))}");
        Assert.True((first - content).abs().mean().item<float>() > 5, "the picture hardly changed");
        Assert.Equal(25, progress[^1].Done);
        Assert.Equal(25, progress[^1].Total);
        Assert.True(progress[^1].Loss < progress[0].Loss, $"loss {progress[0].Loss} → {progress[^1].Loss}");
        // Every smoothing runs and changes the picture (the comparison of their looks is in docs/style-transfer.md).
        foreach (var smoothing in Enum.GetValues<FeatureSmoothing>())
        {
            using var other = transfer.Stylize(content, [new WeightedStyle(style, 1)], null, options with { Steps = 10, Smoothing = smoothing });
            Assert.True(other.isfinite().all().item<bool>() && (other - content).abs().mean().item<float>() > 0.1, $"{smoothing} did not move the picture");
        }
    }

    [Fact]
    public void A_mask_keeps_the_content_outside_it_and_preserve_color_keeps_the_contents_chroma()
    {
        using var content = StyleTestImages.Content();
        using var style = StyleTestImages.Stripes();
        var transfer = new StyleTransfer(Network.Value);
        using var mask = zeros(1, 1, 48, 64);
        mask[.., .., .., 32..].fill_(1);
        using var masked = transfer.Stylize(content, [new WeightedStyle(style, 1)], mask, new StyleTransferOptions(Size: 64, Steps: 10));
        Assert.True(masked[.., .., .., ..32].eq(content[.., .., .., ..32]).all().item<bool>(), "pixels outside the mask changed");
        Assert.True((masked[.., .., .., 32..] - content[.., .., .., 32..]).abs().mean().item<float>() > 2, "pixels inside the mask did not change");

        using var kept = transfer.Stylize(content, [new WeightedStyle(style, 1)], null, new StyleTransferOptions(Size: 64, Steps: 10, PreserveColor: true));
        // Chroma (each channel minus the luma) is the content's wherever no channel was clipped at 0 or 255.
        using var chroma = kept - StyleTransfer.Luma(kept);
        using var original = content - StyleTransfer.Luma(content);
        using var unclipped = ((kept > 0.5) & (kept < 254.5)).all(1, keepdim: true).expand_as(kept);
        Assert.True(unclipped.to(float32).mean().item<float>() > 0.5f);
        Assert.True((chroma - original).abs().masked_select(unclipped).max().item<float>() < 1e-3f);
        Assert.True((StyleTransfer.Luma(kept) - StyleTransfer.Luma(content)).abs().mean().item<float>() > 2, "the luminance did not change");
    }

    [Fact]
    public void Large_pictures_are_refined_in_tiles_and_mixed_styles_are_weighted()
    {
        using var content = nn.functional.interpolate(StyleTestImages.Content(), [96, 128], mode: InterpolationMode.Bilinear);
        using var style = StyleTestImages.Stripes();
        using var flat = full(1, 3, 64, 64, 128f);
        var options = new StyleTransferOptions(Size: 128, Steps: 12, Tile: 64);
        Assert.Equal(12 + (6 + 9) * 10, StyleTransfer.TotalIterations(96, 128, options));
        var progress = new List<StyleProgress>();
        using var tiled = new StyleTransfer(Network.Value).Stylize(content, [new WeightedStyle(style, 3), new WeightedStyle(flat, 1)], null, options, new Reporter(progress.Add));
        Assert.Equal(content.shape, tiled.shape);
        Assert.True(tiled.isfinite().all().item<bool>());
        Assert.Contains(progress, p => p.Stage.StartsWith("tile round 2/2", StringComparison.Ordinal));
        Assert.Equal(progress[^1].Total, progress[^1].Done);
        Assert.True((tiled - content).abs().mean().item<float>() > 2);
    }

    [Fact]
    public void A_recipe_round_trips_through_json_and_refuses_a_changed_input()
    {
        using var folder = new TempFolder();
        var contentPath = folder.File("content.png");
        var stylePath = folder.File("style.png");
        using (var bitmap = TestImages.Gradient(40, 30)) TestImages.WritePng(contentPath, bitmap);
        using (var bitmap = TestImages.Gradient(20, 20)) TestImages.WritePng(stylePath, bitmap);
        var recipe = new StyleRecipe(StyleInputFile.Of(contentPath), [new StyleRecipeStyle(StyleInputFile.Of(stylePath), 0.3)], null,
            new StyleTransferOptions(Size: 40, Steps: 3, Strength: 2, PreserveColor: true, Smoothing: FeatureSmoothing.Softmax), 1);
        var back = StyleRecipe.FromJson(recipe.ToJson());
        Assert.Equal(recipe.ToJson(), back.ToJson());
        Assert.Equal(recipe.Options, back.Options);
        Assert.Equal("content.png", back.Content.Name);
        Assert.Equal(64, back.Content.Sha256.Length);

        var png = recipe.Render(Network.Value, contentPath, [stylePath], null);
        var text = PngText.Read(png);
        Assert.Equal(recipe.ToJson(), text[StyleRecipe.TextKey]);
        Assert.StartsWith("AI-generated by Atelier", text["Comment"]);
        using (var decoded = ImageCodec.Decode(png, "result")) Assert.Equal((40, 30), (decoded.Width, decoded.Height));
        Assert.Equal(png, recipe.Render(Network.Value, contentPath, [stylePath], null));

        using (var bitmap = TestImages.Gradient(20, 21)) TestImages.WritePng(stylePath, bitmap);
        var e = Assert.Throws<InvalidDataException>(() => recipe.Render(Network.Value, contentPath, [stylePath], null));
        Assert.Contains("style image", e.Message);
        Assert.Contains(recipe.Styles[0].File.Sha256, e.Message);
    }

    [Fact]
    public void A_cancelled_transfer_stops_with_OperationCanceledException()
    {
        using var content = StyleTestImages.Content();
        using var style = StyleTestImages.Stripes();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new StyleTransfer(Network.Value).Stylize(content, [new WeightedStyle(style, 1)], null, new StyleTransferOptions(Size: 64, Steps: 50), null, cancel.Token));
    }

    [Fact]
    public void Options_out_of_range_name_their_flag()
    {
        Assert.Contains("--size", Assert.Throws<Atelier.Platform.OptionException>(() => new StyleTransferOptions(Size: 5000).Validate()).Message);
        Assert.Contains("--steps", Assert.Throws<Atelier.Platform.OptionException>(() => new StyleTransferOptions(Steps: 0).Validate()).Message);
        Assert.Contains("--strength", Assert.Throws<Atelier.Platform.OptionException>(() => new StyleTransferOptions(Strength: 0).Validate()).Message);
        Assert.Contains("--tile", Assert.Throws<Atelier.Platform.OptionException>(() => new StyleTransferOptions(Tile: 10).Validate()).Message);
    }

    private sealed class Reporter(Action<StyleProgress> report) : IProgress<StyleProgress>
    {
        public void Report(StyleProgress value) => report(value);
    }

    private sealed class FloatEq(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}

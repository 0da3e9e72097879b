using Atelier.Imaging;
using Atelier.Models.Pretrained;
using SkiaSharp;
using static TorchSharp.torch;

namespace Atelier.Valuation;

/// <summary>
/// Where in a picture a value model's prediction comes from: the absolute gradient of the prediction's ResNet18 part,
/// Σ_j w_j (f_j − μ_j) / σ_j, with respect to the pixels of the letterboxed 224×224 input, summed over colour, smoothed
/// by a 9×9 box blur and scaled so the 99th percentile is 1. SmoothGrad (Smilkov et al. 2017: the mean over copies with
/// Gaussian noise) is there with <c>samples</c> and <c>noise</c>, but off by default: with 8 copies at 2–10% noise the
/// ReLU network's shattered gradients lit flat ground as brightly as the shapes on it (docs/value-and-explanations.md).
/// The descriptors are not differentiated (they are not smooth functions of the pixels; their part is shown as
/// contributions instead), and the ±5 clip of standardised features is not applied to the gradient.
/// </summary>
public static class ValueSaliency
{
    private const int NetworkDimension = 512;

    /// <summary>
    /// The heat map over the picture's letterbox content, row-major at the content's size in the 224×224 input, with
    /// values 0 (no influence) to 1 (the 99th percentile and above).
    /// </summary>
    public static (float[] Map, int Width, int Height) Compute(ValueModel model, ResNet18Network network, SKBitmap image, int samples = 1, double noise = 0, long seed = 0)
    {
        int descriptors = model.Descriptors.Count, size = Metrics.ResNet18Features.Size;
        if (model.Means.Length - descriptors != NetworkDimension)
            throw new InvalidOperationException($"the model sees {model.Features}; saliency needs its ResNet18 features (fit with --features resnet18+descriptors or resnet18).");
        var rgb = new byte[3 * size * size];
        using (var fitted = ImageCodec.Fit(image, size, size, ImageFit.Letterbox, ValueFeatures.NetworkMean)) ImageCodec.ToBytes(fitted, 3, rgb);
        var region = ImageCodec.LetterboxRegion(image.Width, image.Height, size);
        using var scope = NewDisposeScope();
        var coefficients = tensor(Enumerable.Range(descriptors, NetworkDimension).Select(j => (float)(model.Weights[j] / model.Scales[j])).ToArray());
        var clean = tensor(rgb.Select(b => (float)b).ToArray(), [1, 3, size, size]);
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var noisy = (clean.expand(samples, 3, size, size) + randn([samples, 3, size, size], generator: generator) * (float)(noise * 255)).detach();
        noisy.requires_grad = true;
        var prediction = (network.forward(network.Preprocess(noisy)) * coefficients).sum();
        prediction.backward();
        var gradient = noisy.grad!.abs().mean([0]).sum([0]).unsqueeze(0).unsqueeze(0); // [1, 1, 224, 224]
        var blurred = nn.functional.avg_pool2d(gradient, 9, stride: 1, padding: 4, count_include_pad: false)[0, 0];
        var content = blurred[TensorIndex.Slice(region.Y0, region.Y1), TensorIndex.Slice(region.X0, region.X1)].contiguous();
        var values = content.data<float>().ToArray();
        var sorted = values.Order().ToArray();
        float top = sorted[Math.Min(sorted.Length - 1, (int)(0.99 * sorted.Length))];
        if (top <= 0) top = 1;
        for (int i = 0; i < values.Length; i++) values[i] = Math.Min(1, values[i] / top);
        return (values, region.X1 - region.X0, region.Y1 - region.Y0);
    }

    /// <summary>The picture (long side <paramref name="display"/>) beside the same darkened with the heat map laid over it in yellow to red.</summary>
    public static SKBitmap Sheet(SKBitmap image, (float[] Map, int Width, int Height) heat, int display = 256)
    {
        double scale = (double)display / Math.Max(image.Width, image.Height);
        int w = Math.Max(1, (int)Math.Round(image.Width * scale)), h = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var shown = ImageCodec.Fit(image, w, h, ImageFit.Stretch, SKColors.White);
        using var overlay = new SKBitmap(new SKImageInfo(heat.Width, heat.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < heat.Height; y++)
            for (int x = 0; x < heat.Width; x++)
            {
                float v = heat.Map[y * heat.Width + x];
                overlay.SetPixel(x, y, new SKColor(255, (byte)(255 * (1 - v)), 0, (byte)(230 * v)));
            }
        var sheet = new SKBitmap(new SKImageInfo(2 * w + 6, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        canvas.DrawBitmap(shown, 0, 0);
        using (var dim = new SKPaint { ColorFilter = SKColorFilter.CreateBlendMode(new SKColor(0, 0, 0, 120), SKBlendMode.SrcOver) })
            canvas.DrawBitmap(shown, w + 6, 0, dim);
        using var overlayImage = SKImage.FromBitmap(overlay);
        canvas.DrawImage(overlayImage, SKRect.Create(w + 6, 0, w, h), new SKSamplingOptions(SKFilterMode.Linear));
        canvas.Flush();
        return sheet;
    }
}

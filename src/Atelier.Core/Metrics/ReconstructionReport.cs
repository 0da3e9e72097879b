using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Sampling;
using static TorchSharp.torch;

namespace Atelier.Metrics;

/// <summary>
/// How well an autoencoder rebuilds images it did not train on: PSNR and SSIM (<see cref="ReconstructionQuality"/>)
/// of decode(encode(x)) against x, over the first N images of a dataset, optionally with Gaussian noise of σ added to
/// the input (the denoising test: the reconstruction is compared with the clean image). Noise is seeded by image
/// index, so the same request gives the same numbers.
/// </summary>
public static class ReconstructionReport
{
    public const string NoiseStream = "reconstruct-noise";
    public const int BatchSize = 64;
    public const int MaxImages = 100_000;

    /// <param name="Psnr">Per image, dB.</param>
    /// <param name="Ssim">Per image.</param>
    /// <param name="Originals">The first <c>keep</c> originals, CHW in [-1, 1], image after image.</param>
    /// <param name="Inputs">What the encoder saw for them (the originals, or with noise).</param>
    /// <param name="Reconstructions">The model's reconstructions of them.</param>
    public sealed record Result(string Data, int Count, double Noise, double[] Psnr, double[] Ssim, float[] Originals, float[] Inputs, float[] Reconstructions, int Kept)
    {
        public double PsnrMean => Psnr.Average();

        public double SsimMean => Ssim.Average();

        public double PsnrStd => Std(Psnr);

        public double SsimStd => Std(Ssim);

        private static double Std(double[] v)
        {
            if (v.Length < 2) return 0;
            double m = v.Average();
            return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
        }
    }

    public static Result Measure(TrainedAutoencoder model, IImageSource source, int count, double noise = 0, long seed = 0, int keep = 16, CancellationToken cancel = default)
    {
        if (count is < 1 or > MaxImages) throw new OptionException($"--n: {count} is outside 1..{MaxImages}.");
        if (!(noise >= 0 && noise <= 10)) throw new OptionException($"--noise: {noise} is outside 0..10.");
        var m = model.Model;
        if (source.Resolution != m.Resolution || source.Channels != m.Channels)
            throw new OptionException($"--data: '{source.Name}' gives {source.Resolution}x{source.Resolution}x{source.Channels} images; the model needs {m.Resolution}x{m.Resolution}x{m.Channels}.");
        int n = source.IsUnlimited ? count : Math.Min(count, source.Count);
        if (n < 1) throw new OptionException($"--data: '{source.Name}' has no images.");
        keep = Math.Min(keep, n);
        int per = m.Channels * m.Resolution * m.Resolution;
        var psnr = new double[n];
        var ssim = new double[n];
        var originals = new float[keep * per];
        var inputs = new float[keep * per];
        var reconstructions = new float[keep * per];
        var bytes = new byte[per];
        using var pause = GcPause.Begin();
        for (int start = 0; start < n; start += BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            int b = Math.Min(BatchSize, n - start);
            var pixels = new float[b * per];
            for (int i = 0; i < b; i++)
            {
                source.Read(start + i, bytes);
                for (int j = 0; j < per; j++) pixels[i * per + j] = ImageCodec.ToUnit(bytes[j]);
            }
            var clean = tensor(pixels, new long[] { b, m.Channels, m.Resolution, m.Resolution });
            var input = clean;
            if (noise > 0)
            {
                var draws = cat(Enumerable.Range(start, b).Select(i => Latents.ForStream(seed, NoiseStream, i, 1, per)).ToArray());
                input = (clean + noise * draws.view(clean.shape)).clamp(-1, 1);
            }
            var rebuilt = model.Reconstruct(input).clamp(-1, 1);
            ReconstructionQuality.Psnr(rebuilt, clean).data<double>().CopyTo(psnr.AsSpan(start, b));
            ReconstructionQuality.Ssim(rebuilt, clean).data<double>().CopyTo(ssim.AsSpan(start, b));
            int k = Math.Min(b, keep - start);
            if (k > 0)
            {
                pixels.AsSpan(0, k * per).CopyTo(originals.AsSpan(start * per));
                input.flatten().data<float>().ToArray().AsSpan(0, k * per).CopyTo(inputs.AsSpan(start * per));
                rebuilt.flatten().data<float>().ToArray().AsSpan(0, k * per).CopyTo(reconstructions.AsSpan(start * per));
            }
        }
        return new Result(source.Name, n, noise, psnr, ssim, originals, inputs, reconstructions, keep);
    }

    /// <summary>A grid of the kept images: originals, then (with noise) the noisy inputs, then the reconstructions, one row each.</summary>
    public static SkiaSharp.SKBitmap Comparison(Result r, Models.ModelOptions m)
    {
        int per = m.Channels * m.Resolution * m.Resolution;
        var rows = new List<float[]> { r.Originals };
        if (r.Noise > 0) rows.Add(r.Inputs);
        rows.Add(r.Reconstructions);
        var all = new float[rows.Count * r.Kept * per];
        for (int i = 0; i < rows.Count; i++) rows[i].AsSpan(0, r.Kept * per).CopyTo(all.AsSpan(i * r.Kept * per));
        return ImageGrid.Compose(all, rows.Count * r.Kept, m.Channels, m.Resolution, m.Resolution,
            new ImageGridOptions(Columns: r.Kept, Scale: m.Resolution < 48 ? 2 : 1));
    }
}

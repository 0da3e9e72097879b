using Atelier.Data;
using Atelier.Models.Pretrained;
using static TorchSharp.torch;

namespace Atelier.Stylization;

/// <summary>How <see cref="DecoderTraining"/> trains (the `atelier style-decoders` flags).</summary>
/// <param name="Steps">Adam steps per level.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="LearningRate">Adam's rate at the start; it falls along a half cosine to a tenth of it.</param>
/// <param name="FeatureWeight">Weight of the feature term against the pixel term.</param>
/// <param name="Seed">Initial weights and the order of the images.</param>
/// <param name="Levels">The levels to train (the others keep the weights they start with).</param>
public sealed record DecoderTrainingOptions(int Steps = 2000, int BatchSize = 8, double LearningRate = 1e-3, double FeatureWeight = 1, long Seed = 0,
    IReadOnlyList<int>? Levels = null)
{
    public IReadOnlyList<int> TrainedLevels => Levels ?? [1, 2, 3];

    public DecoderTrainingOptions Validate()
    {
        if (Steps is < 1 or > 10_000_000) throw new Platform.OptionException($"--steps: {Steps} is outside 1..10000000.");
        if (BatchSize is < 1 or > 1024) throw new Platform.OptionException($"--batch: {BatchSize} is outside 1..1024.");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new Platform.OptionException($"--lr: {LearningRate} must be above 0 and below 1.");
        if (!(FeatureWeight >= 0 && FeatureWeight <= 1000)) throw new Platform.OptionException($"--feature-weight: {FeatureWeight} is outside 0..1000.");
        if (TrainedLevels.Count == 0 || TrainedLevels.Any(l => l is < 1 or > StyleDecoders.Levels) || TrainedLevels.Distinct().Count() != TrainedLevels.Count)
            throw new Platform.OptionException($"--levels: '{string.Join(",", TrainedLevels)}' must be distinct levels from 1 to {StyleDecoders.Levels}.");
        return this;
    }
}

/// <summary>A step of <see cref="DecoderTraining"/>: the level, its step, and the batch's terms (pixel PSNR in dB of
/// the −1..1 range, the feature term relative to the features' mean square).</summary>
public sealed record DecoderProgress(int Level, int Step, int Steps, double Loss, double PixelPsnr, double FeatureLoss);

/// <summary>
/// Trains <see cref="StyleDecoders"/> for reconstruction only (Li et al. 2017): for each level, the frozen ResNet18
/// encodes a batch, the decoder turns the features back into images, and the loss is the pixels' mean squared error
/// (−1..1) plus <see cref="DecoderTrainingOptions.FeatureWeight"/> × the mean squared error of the reconstruction's
/// features at the same level divided by the features' mean square. No style image is seen in training: any style
/// works afterwards. Images are flipped at random. Deterministic for the same data, options and thread count.
/// </summary>
public static class DecoderTraining
{
    /// <summary>
    /// Mean PSNR (dB, images in 0..255 as bytes would hold them) of the first <paramref name="count"/> images of
    /// <paramref name="data"/> decoded from each level alone (index 0..2: levels 1..3), and through the cascade that the
    /// fast path runs (level 3, then 2, then 1; index 3) with the features left as they are.
    /// </summary>
    public static double[] Evaluate(ResNet18Network network, StyleDecoders decoders, IImageSource data, int count)
    {
        if (data.Resolution % StyleDecoders.Alignment != 0) throw new Platform.OptionException($"--resolution: {data.Resolution} must be a multiple of {StyleDecoders.Alignment}.");
        count = (int)Math.Min(count, data.Count);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one image");
        var device = decoders.parameters().First().device;
        var sums = new double[StyleDecoders.Levels + 1];
        var buffer = new byte[data.Channels * data.Resolution * data.Resolution];
        using var _ = no_grad();
        for (int i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            data.Read(i, buffer);
            var image = tensor(buffer, [1, data.Channels, data.Resolution, data.Resolution]).to(float32).to(device);
            if (data.Channels == 1) image = image.expand(-1, 3, -1, -1);
            var pre = network.Preprocess(image);
            for (int level = 1; level <= StyleDecoders.Levels; level++)
                sums[level - 1] += Psnr(Decode(decoders, level, StyleDecoders.Encode(network, pre, level)), image);
            var picture = image;
            for (int level = StyleDecoders.Levels; level >= 1; level--)
                picture = Decode(decoders, level, StyleDecoders.Encode(network, network.Preprocess(picture), level));
            sums[StyleDecoders.Levels] += Psnr(picture, image);
        }
        return [.. sums.Select(s => s / count)];
    }

    private static Tensor Decode(StyleDecoders decoders, int level, Tensor features) =>
        ((decoders[level].forward(features).clamp(-1, 1) + 1) * 127.5).round();

    private static double Psnr(Tensor a, Tensor b) =>
        10 * Math.Log10(255.0 * 255.0 / Math.Max((a - b).square().mean().item<float>(), 1e-10));

    public static void Train(ResNet18Network network, StyleDecoders decoders, IImageSource data, DecoderTrainingOptions options,
        IProgress<DecoderProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (data.Channels != 3) throw new ArgumentException($"decoders train on RGB images, not {data.Channels} channel(s)", nameof(data));
        if (data.Resolution % StyleDecoders.Alignment != 0) throw new Platform.OptionException($"--resolution: {data.Resolution} must be a multiple of {StyleDecoders.Alignment}.");
        if (data.Count < options.BatchSize) throw new Platform.OptionException($"--batch: {options.BatchSize} is more than the {data.Count} images of {data.Name}.");
        var device = decoders.parameters().First().device;
        foreach (int level in options.TrainedLevels)
        {
            var decoder = decoders[level];
            foreach (var p in decoder.parameters()) p.requires_grad = true;
            decoder.train();
            using var optimiser = optim.Adam(decoder.parameters(), options.LearningRate);
            using var loader = new BatchLoader(data, options.BatchSize, options.Seed * 31 + level, flip: true);
            for (int step = 0; step < options.Steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                double rate = options.LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * step / options.Steps)));
                foreach (var group in optimiser.ParamGroups) group.LearningRate = rate;
                var batch = loader.Next();
                using var scope = NewDisposeScope();
                var images = tensor(batch.Pixels, [batch.Size, 3, data.Resolution, data.Resolution]).to(device);
                loader.Recycle(batch);
                Tensor target;
                using (no_grad()) target = StyleDecoders.Encode(network, network.PreprocessSigned(images), level);
                var output = decoder.forward(target);
                var pixel = (output - images).square().mean();
                // Without the feature term the backward pass through the network is skipped (it costs twice the forward).
                var feature = options.FeatureWeight == 0 ? zeros(1, device: device)
                    : (StyleDecoders.Encode(network, network.PreprocessSigned(output), level) - target).square().mean() / target.square().mean().clamp(min: 1e-12);
                var loss = pixel + feature * options.FeatureWeight;
                optimiser.zero_grad();
                loss.backward();
                optimiser.step();
                double mse = pixel.item<float>();
                progress?.Report(new DecoderProgress(level, step + 1, options.Steps, loss.item<float>(), 10 * Math.Log10(4 / Math.Max(mse, 1e-12)), feature.item<float>()));
            }
            foreach (var p in decoder.parameters()) p.requires_grad = false;
            decoder.eval();
        }
    }
}

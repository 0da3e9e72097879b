using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// A moving average of generator weights (Karras et al. 2018; StyleGAN2-ADA's schedule): after each step
/// θ_ema ← β·θ_ema + (1 − β)·θ with β = 0.5^(B / h), h = min(half-life, images seen · ramp-up).
/// Batch-norm statistics are not averaged; <see cref="BatchNormCalibration"/> recomputes them for the averaged weights.
/// </summary>
public sealed class ExponentialMovingAverage(nn.Module source, nn.Module average, double halfLifeImages, double rampUp)
{
    private readonly (Tensor Source, Tensor Average)[] _pairs = source.parameters().Zip(average.parameters(), (s, a) => ((Tensor)s, (Tensor)a)).ToArray();

    /// <summary>β for a step that brought the count of images seen to <paramref name="imagesSeen"/>.</summary>
    public double Beta(long batchSize, long imagesSeen)
    {
        double halfLife = rampUp > 0 ? Math.Min(halfLifeImages, imagesSeen * rampUp) : halfLifeImages;
        return Math.Pow(0.5, batchSize / Math.Max(halfLife, 1e-8));
    }

    public void Update(long batchSize, long imagesSeen)
    {
        double beta = Beta(batchSize, imagesSeen);
        using var noGrad = no_grad();
        foreach (var (s, a) in _pairs) a.lerp_(s, 1 - beta);
    }

    /// <summary>Copies every parameter and buffer of the source into the average.</summary>
    public static void CopyInto(nn.Module source, nn.Module average)
    {
        using var noGrad = no_grad();
        foreach (var (s, a) in source.parameters().Zip(average.parameters())) a.copy_(s);
        foreach (var (s, a) in source.buffers().Zip(average.buffers())) a.copy_(s);
    }
}

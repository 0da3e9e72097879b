using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Projection;

/// <summary>How a picture's latent is found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProjectionMode>))]
public enum ProjectionMode
{
    /// <summary>The encoder's guess, then Adam from it and from restarts around it (Zhu et al. 2016's hybrid).</summary>
    [JsonStringEnumMemberName("hybrid")] Hybrid,

    /// <summary>The encoder's guess alone: one forward pass, no optimisation.</summary>
    [JsonStringEnumMemberName("encoder")] Encoder,

    /// <summary>Adam from random latents alone (no encoder).</summary>
    [JsonStringEnumMemberName("optimize")] Optimize,
}

/// <summary>
/// Everything besides the picture and the generator that decides a projection's result.
/// </summary>
/// <param name="Mode">Hybrid (default), encoder only or optimisation only.</param>
/// <param name="Steps">Adam steps per restart (StyleGAN2's projector schedule: learning-rate warm-up over the first 5 %,
/// cosine decay over the last 25 %, latent noise decaying to zero at 75 %).</param>
/// <param name="Restarts">Latents optimised side by side: the encoder's guess and guesses around it (hybrid), or random
/// draws (optimize).</param>
/// <param name="LearningRate">Adam's peak step size in latent units (StyleGAN2's projector: 0.1).</param>
/// <param name="NoiseStart">Noise added to the latent at the start, in units of the latent's standard deviation (1 for
/// z ~ N(0, I)); StyleGAN2's 0.05.</param>
/// <param name="PixelWeight">Weight of the mean squared pixel difference (images in −1..1).</param>
/// <param name="EdgeWeight">Weight of the mean squared difference of Sobel gradients of the luminance.</param>
/// <param name="FeatureWeight">Weight of the ResNet18 stem+layer1 and layer2 distance (channel-normalised activations).</param>
/// <param name="PriorWeight">Weight of (|z|²/d − 1)²: keeps the latent where N(0, I) puts its mass, so that the result
/// stays an image the model makes rather than an adversarial input.</param>
/// <param name="Seed">Seeds the restarts and the latent noise.</param>
public sealed record ProjectionOptions(
    ProjectionMode Mode = ProjectionMode.Hybrid,
    int Steps = 300,
    int Restarts = 4,
    double LearningRate = 0.1,
    double NoiseStart = 0.05,
    double PixelWeight = 1,
    double EdgeWeight = 1,
    double FeatureWeight = 0.5,
    double PriorWeight = 0.05,
    long Seed = 0)
{
    /// <summary>Hybrid restarts after the first start from the encoder's guess plus this much N(0, I) noise.</summary>
    public const double RestartSpread = 0.7;

    public const int MaxRestarts = 64;

    /// <summary>Adam steps that actually run: none for encoder-only.</summary>
    [JsonIgnore]
    public int OptimizationSteps => Mode == ProjectionMode.Encoder ? 0 : Steps;

    /// <summary>Checks every value, naming the flag that is wrong.</summary>
    public ProjectionOptions Validate()
    {
        if (Steps is < 1 or > 100_000) throw new OptionException($"--steps: {Steps} is outside 1..100000.");
        if (Restarts is < 1 or > MaxRestarts) throw new OptionException($"--restarts: {Restarts} is outside 1..{MaxRestarts}.");
        if (!(LearningRate > 0 && LearningRate <= 10)) throw new OptionException($"--lr: {LearningRate} must be above 0 and at most 10.");
        if (!(NoiseStart >= 0 && NoiseStart <= 2)) throw new OptionException($"--noise: {NoiseStart} is outside 0..2.");
        foreach (var (flag, value) in new[] { ("--pixel-weight", PixelWeight), ("--edge-weight", EdgeWeight), ("--feature-weight", FeatureWeight), ("--prior-weight", PriorWeight) })
            if (!(value >= 0 && value <= 1000)) throw new OptionException($"{flag}: {value} is outside 0..1000.");
        if (PixelWeight + EdgeWeight + FeatureWeight <= 0) throw new OptionException("--pixel-weight, --edge-weight, --feature-weight: at least one must be above 0, or nothing ties the result to the picture.");
        return this;
    }
}

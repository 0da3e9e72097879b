using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// What the discriminator sees: DiffAugment (Zhao 2020) at probability 1, or ADA (Karras 2020) at a probability that
/// follows the discriminator's overfitting, or the images unchanged. Real and generated images are augmented alike.
/// </summary>
public sealed class Augmentation
{
    private readonly TrainingOptions _options;
    private readonly IReadOnlyList<string> _operations;

    public Augmentation(TrainingOptions options)
    {
        _options = options;
        _operations = DiffAugment.ParseOperations(options.Augmentation.Operations);
        Probability = options.Augmentation.Mode == AugmentMode.DiffAugment ? 1 : 0;
    }

    /// <summary>The chance that each operation is applied to each image (saved in checkpoints for ADA).</summary>
    public double Probability { get; private set; }

    public bool IsAdaptive => _options.Augmentation.Mode == AugmentMode.Ada;

    /// <summary>For the metrics log: the probability, or null when augmentation is off.</summary>
    public double? Logged => _options.Augmentation.Mode == AugmentMode.None ? null : Math.Round(Probability, 6);

    /// <summary>The images as the discriminator sees them in <paramref name="draw"/> of <paramref name="pass"/>.</summary>
    public Tensor Apply(Tensor images, PassPosition pass, AugmentDraw draw) =>
        _options.Augmentation.Mode == AugmentMode.None ? images : DiffAugment.Apply(images, _operations, Probability, _options.Seed, RandomStreams.AugmentCounter(pass, draw));

    /// <summary>ADA: after a step, r_t = E[sign(D(real))] of its real images moves the probability toward the target.</summary>
    public void AfterStep(Tensor realLogits, int images)
    {
        if (!IsAdaptive) return;
        Probability = AdaptiveAugment.Update(Probability, realLogits.sign().mean().item<float>(), _options.Augmentation.AdaTarget, images, _options.Augmentation.AdaSpeedImages);
    }

    /// <summary>A resume or rollback restores ADA's probability from the checkpoint.</summary>
    public void Restore(double probability)
    {
        if (IsAdaptive) Probability = probability;
    }
}

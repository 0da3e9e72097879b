using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>How the weights move: optimiser, batch, learning rates and the generator's moving average.</summary>
public sealed record OptimizationOptions
{
    /// <summary>The optimiser of both networks (--optimizer; RMSProp is WGAN's choice).</summary>
    public Optimizer Optimizer { get; init; } = Optimizer.Adam;

    /// <summary>Images per discriminator step (Radford 2015: 128; 64 fits 2 cores better).</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;

    /// <summary>Step size for both networks (Radford 2015: 2e-4).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Two time-scale update rule (Heusel 2017): the generator's own learning rate (null = LearningRate).</summary>
    public double? GeneratorLearningRate { get; init; }

    /// <summary>The discriminator's own learning rate (null = LearningRate).</summary>
    public double? DiscriminatorLearningRate { get; init; }

    /// <summary>Adam β1 (Radford 2015: 0.5, lower than the usual 0.9, for stability).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Half-life of the generator weight average, in images (StyleGAN2-ADA: 10k).</summary>
    public double EmaHalfLifeImages { get; init; } = TrainingDefaults.EmaHalfLifeImages;

    /// <summary>The half-life is at most this fraction of the images seen, so early averages follow quickly.</summary>
    public double EmaRampUp { get; init; } = 0.05;

    /// <summary>The generator's learning rate (TTUR), before rollback scaling.</summary>
    public double GeneratorRate => GeneratorLearningRate ?? LearningRate;

    /// <summary>The discriminator's learning rate (TTUR), before rollback scaling.</summary>
    public double DiscriminatorRate => DiscriminatorLearningRate ?? LearningRate;

    /// <summary>Throws with the flag named when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Optimizer)) throw new OptionException($"--optimizer: {(int)Optimizer} is not an optimizer.");
        if (BatchSize is < 1 or > 4096) throw new OptionException($"--batch-size: {BatchSize} is outside 1..4096.");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new OptionException($"--lr: {LearningRate} must be in (0, 1).");
        foreach (var (flag, rate) in new[] { ("--g-lr", GeneratorLearningRate), ("--d-lr", DiscriminatorLearningRate) })
            if (rate is double r && !(r > 0 && r < 1)) throw new OptionException($"{flag}: {r} must be in (0, 1).");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new OptionException("--beta1/--beta2 must be in [0, 1).");
        if (EmaHalfLifeImages <= 0) throw new OptionException("--ema-half-life must be positive.");
    }
}

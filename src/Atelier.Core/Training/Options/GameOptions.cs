using Atelier.Objectives;
using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>The game the two networks play: the objective and the terms added to it.</summary>
public sealed record GameOptions
{
    /// <summary>The GAN game (--objective).</summary>
    public Objective Objective { get; init; } = TrainingDefaults.Objective;

    /// <summary>Discriminator updates per generator update (Goodfellow 2014's k; WGAN uses 5).</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>WGAN: clip every critic weight to [−c, c] after each critic step (0 = off).</summary>
    public double WeightClip { get; init; }

    /// <summary>WGAN-GP: weight λ of the gradient penalty (0 = off).</summary>
    public double GradientPenalty { get; init; }

    /// <summary>Target for real images in the cross-entropy games; 0.9 is Salimans 2016's one-sided label smoothing.</summary>
    public double RealLabel { get; init; } = 1.0;

    /// <summary>Salimans 2016: G matches the mean of D's last hidden layer on real and generated images.</summary>
    public bool FeatureMatching { get; init; }

    /// <summary>Salimans 2016: weight of ‖θ − mean of past θ‖² in both losses (0 = off).</summary>
    public double HistoricalAveraging { get; init; }

    /// <summary>Mescheder 2018 R1 penalty weight γ on real images (0 = off).</summary>
    public double R1Gamma { get; init; }

    /// <summary>Lazy R1: applied every this many discriminator steps, scaled by it (StyleGAN2: 16).</summary>
    public int R1Every { get; init; } = TrainingDefaults.R1Every;

    /// <summary>CAN (Elgammal 2017): weight of the generator's style-ambiguity loss (needs a class head; 0 = off).</summary>
    public double StyleAmbiguity { get; init; }

    /// <summary>VAE (--kl-weight): weight β of the KL term (β = 1 is the evidence lower bound; null = 1). Written only when set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? KlWeight { get; init; }

    /// <summary>Autoencoders (--denoise): standard deviation of the Gaussian noise added to the encoder's input (0 = off). Written only when set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double InputNoise { get; init; }

    /// <summary>The VAE's β as the step uses it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Beta => KlWeight ?? TrainingDefaults.KlWeight;

    /// <summary>Throws with the flag named when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Objective)) throw new OptionException($"--objective: {(int)Objective} is not an objective.");
        if (DiscriminatorSteps is < 1 or > 100) throw new OptionException($"--d-steps: {DiscriminatorSteps} is outside 1..100.");
        if (WeightClip < 0) throw new OptionException("--weight-clip must be 0 (off) or positive.");
        if (GradientPenalty < 0) throw new OptionException("--gradient-penalty must be 0 (off) or positive.");
        if (HistoricalAveraging < 0) throw new OptionException("--historical-averaging must be 0 (off) or positive.");
        if (RealLabel is <= 0.5 or > 1) throw new OptionException($"--label-smoothing: the real target {RealLabel} must be in (0.5, 1].");
        // Combinations that contradict their papers are refused rather than silently run.
        if (RealLabel != 1 && !ObjectiveCatalog.IsProbabilistic(Objective))
            throw new OptionException($"--label-smoothing: one-sided label smoothing changes the cross-entropy target of real images; the {EnumText.Name(Objective)} objective has no such target (use minimax or non-saturating).");
        if (KlWeight is double beta && !(beta >= 0 && beta <= 1e6)) throw new OptionException($"--kl-weight: {beta} is outside 0..1000000.");
        if (!(InputNoise >= 0 && InputNoise <= 10)) throw new OptionException($"--denoise: {InputNoise} is outside 0..10 (a standard deviation on images in [-1, 1]).");
        if (R1Gamma < 0) throw new OptionException("--r1 must be 0 (off) or positive.");
        if (R1Every is < 1 or > 1000) throw new OptionException($"--r1-every: {R1Every} is outside 1..1000.");
        if (StyleAmbiguity < 0) throw new OptionException("--can: the style-ambiguity weight must be 0 (off) or positive.");
        if (FeatureMatching && StyleAmbiguity > 0)
            throw new OptionException("--feature-matching: it replaces the adversarial generator loss that CAN's style ambiguity (--can) is added to; use one or the other.");
        if (GradientPenalty > 0 && WeightClip > 0)
            throw new OptionException("--weight-clip: the gradient penalty replaces weight clipping (Gulrajani 2017); use one or the other.");
    }
}

using Atelier.Imaging;
using Atelier.Models;
using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>Everything that decides a training run; saved as options.json and in every checkpoint.</summary>
/// <param name="Data">Dataset name or folder (--data).</param>
/// <param name="Model">Architecture and sizes (--model, --resolution, --channels, ...).</param>
/// <param name="BatchSize">Images per discriminator step (Radford 2015: 128; 64 fits 2 cores better).</param>
/// <param name="Steps">Generator steps to train in total (--steps; --epochs converts to this).</param>
/// <param name="LearningRate">Adam step size for both networks (Radford 2015: 2e-4).</param>
/// <param name="Beta1">Adam β1 (Radford 2015: 0.5, lower than the usual 0.9, for stability).</param>
/// <param name="Beta2">Adam β2.</param>
/// <param name="DiscriminatorSteps">Discriminator updates per generator update (Goodfellow 2014's k; WGAN uses 5).</param>
/// <param name="Seed">Decides initial weights, batch order, flips and noise: same seed, same run.</param>
/// <param name="SampleEvery">Steps between sample grids of the fixed seeds 0..SampleCount-1.</param>
/// <param name="CheckpointEvery">Steps between checkpoints (one is also written at the end).</param>
/// <param name="KeepCheckpoints">How many recent checkpoints to keep (any marked best is kept too).</param>
/// <param name="EmaHalfLifeImages">Half-life of the generator weight average, in images (StyleGAN2-ADA: 10k).</param>
/// <param name="EmaRampUp">The half-life is at most this fraction of the images seen, so early averages follow quickly.</param>
/// <param name="Flip">Random horizontal flips of real images (off for digits and text).</param>
/// <param name="Threads">CPU threads for tensor work; 0 = libtorch's default (all cores).</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="SampleCount">Images in each sample grid.</param>
/// <param name="DivergenceWindow">Steps the discriminator may win outright (D(x) &gt; 0.99, D(G(z)) &lt; 0.01) before a rollback.</param>
/// <param name="MaxRollbacks">Rollbacks allowed before training stops.</param>
/// <param name="DataRoot">--data-root for installed datasets.</param>
/// <param name="Fit">How non-square folder images become square.</param>
/// <param name="Objective">The GAN game: minimax, non-saturating, wgan, wgan-gp, hinge or least-squares.</param>
/// <param name="Optimizer">"adam" or "rmsprop" (WGAN's choice).</param>
/// <param name="WeightClip">WGAN: clip every critic weight to [−c, c] after each critic step (0 = off).</param>
/// <param name="GradientPenalty">WGAN-GP: weight λ of the gradient penalty (0 = off).</param>
/// <param name="RealLabel">Target for real images in the cross-entropy games; 0.9 is Salimans 2016's one-sided label smoothing.</param>
/// <param name="FeatureMatching">Salimans 2016: G matches the mean of D's last hidden layer on real and generated images.</param>
/// <param name="HistoricalAveraging">Salimans 2016: weight of ‖θ − mean of past θ‖² in both losses (0 = off).</param>
/// <param name="EvalEvery">Steps between FID evaluations of the averaged generator (0 = off); the best is marked "best".</param>
/// <param name="EvalNetwork">Feature network of those evaluations (--eval-network).</param>
/// <param name="EvalSamples">Generated and real images per evaluation (--eval-n).</param>
/// <param name="EarlyStop">Stop when FID has not improved for this many evaluations (0 = never).</param>
/// <param name="GeneratorLearningRate">Two time-scale update rule (Heusel 2017): the generator's own learning rate (null = LearningRate).</param>
/// <param name="DiscriminatorLearningRate">The discriminator's own learning rate (null = LearningRate).</param>
/// <param name="R1Gamma">Mescheder 2018 R1 penalty weight γ on real images (0 = off).</param>
/// <param name="R1Every">Lazy R1: applied every this many discriminator steps, scaled by it (StyleGAN2: 16).</param>
/// <param name="Augment">"none", "diffaugment" (Zhao 2020, always on) or "ada" (probability adapted to D's overfitting, Karras 2020).</param>
/// <param name="AugmentOps">DiffAugment operations, comma-separated: color, translation, cutout.</param>
/// <param name="AdaTarget">ADA: the target of r_t = E[sign(D(real))].</param>
/// <param name="AdaSpeedImages">ADA: images over which the probability can move from 0 to 1.</param>
/// <param name="Preset">The --preset the options started from, if any (recorded; the other fields say what it set).</param>
/// <param name="StyleAmbiguity">CAN (Elgammal 2017): weight of the generator's style-ambiguity loss (needs a class head; 0 = off).</param>
/// <param name="ClassNames">Names of the classes of a conditional or CAN model, in label order.</param>
public sealed record TrainingOptions(
    string Data,
    ModelOptions Model,
    int BatchSize = TrainingDefaults.BatchSize,
    long Steps = TrainingDefaults.Steps,
    double LearningRate = 2e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    int DiscriminatorSteps = 1,
    long Seed = 0,
    int SampleEvery = TrainingDefaults.SampleEvery,
    int CheckpointEvery = TrainingDefaults.CheckpointEvery,
    int KeepCheckpoints = TrainingDefaults.KeepCheckpoints,
    double EmaHalfLifeImages = TrainingDefaults.EmaHalfLifeImages,
    double EmaRampUp = 0.05,
    bool Flip = true,
    int Threads = 0,
    string Device = TrainingDefaults.Device,
    int SampleCount = 64,
    int DivergenceWindow = TrainingDefaults.DivergenceWindow,
    int MaxRollbacks = TrainingDefaults.MaxRollbacks,
    string? DataRoot = null,
    ImageFit Fit = ImageFit.CenterCrop,
    string Objective = TrainingDefaults.Objective,
    string Optimizer = "adam",
    double WeightClip = 0,
    double GradientPenalty = 0,
    double RealLabel = 1.0,
    bool FeatureMatching = false,
    double HistoricalAveraging = 0,
    int EvalEvery = 0,
    string EvalNetwork = TrainingDefaults.EvalNetwork,
    int EvalSamples = TrainingDefaults.EvalSamples,
    int EarlyStop = 0,
    double? GeneratorLearningRate = null,
    double? DiscriminatorLearningRate = null,
    double R1Gamma = 0,
    int R1Every = TrainingDefaults.R1Every,
    string Augment = TrainingDefaults.Augment,
    string AugmentOps = TrainingDefaults.AugmentOps,
    double AdaTarget = TrainingDefaults.AdaTarget,
    double AdaSpeedImages = TrainingDefaults.AdaSpeedImages,
    string? Preset = null,
    double StyleAmbiguity = 0,
    string[]? ClassNames = null)
{
    public static IReadOnlyList<string> AugmentModes { get; } = ["none", "diffaugment", "ada"];

    /// <summary>The generator's learning rate (TTUR), before rollback scaling.</summary>
    public double GeneratorRate => GeneratorLearningRate ?? LearningRate;

    /// <summary>The discriminator's learning rate (TTUR), before rollback scaling.</summary>
    public double DiscriminatorRate => DiscriminatorLearningRate ?? LearningRate;

    public static IReadOnlyList<string> Optimizers { get; } = ["adam", "rmsprop"];

    /// <summary>Options for an objective with its paper's optimizer, learning rate, critic steps and normalisation.</summary>
    public static TrainingOptions ForObjective(string data, ModelOptions model, string objective)
    {
        var d = Objectives.ObjectiveCatalog.Defaults(objective);
        return new TrainingOptions(data, model with { DiscriminatorNormalization = d.Normalization },
            LearningRate: d.LearningRate, Beta1: d.Beta1, Beta2: d.Beta2, DiscriminatorSteps: d.DiscriminatorSteps,
            Objective: objective, Optimizer: d.Optimizer, WeightClip: d.WeightClip, GradientPenalty: d.GradientPenalty);
    }

    public void Validate()
    {
        Model.Validate();
        if (BatchSize is < 1 or > 4096) throw new OptionException($"--batch-size: {BatchSize} is outside 1..4096.");
        if (Steps < 1) throw new OptionException($"--steps: {Steps} must be at least 1.");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new OptionException($"--lr: {LearningRate} must be in (0, 1).");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new OptionException("--beta1/--beta2 must be in [0, 1).");
        if (DiscriminatorSteps is < 1 or > 100) throw new OptionException($"--d-steps: {DiscriminatorSteps} is outside 1..100.");
        if (Seed < 0) throw new OptionException($"--seed: {Seed} must be 0 or more.");
        if (SampleEvery < 0) throw new OptionException("--sample-every must be 0 (never) or more.");
        if (CheckpointEvery < 0) throw new OptionException("--checkpoint-every must be 0 (only at the end) or more.");
        if (KeepCheckpoints < 1) throw new OptionException("--keep-checkpoints must be at least 1.");
        if (SampleCount is < 1 or > 256) throw new OptionException($"--sample-count: {SampleCount} is outside 1..256.");
        if (Threads < 0) throw new OptionException("--threads must be 0 (all cores) or more.");
        if (DivergenceWindow < 1) throw new OptionException("--divergence-window must be at least 1.");
        if (EmaHalfLifeImages <= 0) throw new OptionException("--ema-half-life must be positive.");
        if (!Objectives.ObjectiveCatalog.Names.Contains(Objective))
            throw new OptionException($"--objective: unknown objective '{Objective}'; choose one of {string.Join(", ", Objectives.ObjectiveCatalog.Names)}.");
        if (!Optimizers.Contains(Optimizer))
            throw new OptionException($"--optimizer: unknown optimizer '{Optimizer}'; choose adam or rmsprop.");
        if (WeightClip < 0) throw new OptionException("--weight-clip must be 0 (off) or positive.");
        if (GradientPenalty < 0) throw new OptionException("--gradient-penalty must be 0 (off) or positive.");
        if (HistoricalAveraging < 0) throw new OptionException("--historical-averaging must be 0 (off) or positive.");
        if (RealLabel is <= 0.5 or > 1) throw new OptionException($"--label-smoothing: the real target {RealLabel} must be in (0.5, 1].");
        // Combinations that contradict their papers are refused rather than silently run.
        if (RealLabel != 1 && !Objectives.ObjectiveCatalog.IsProbabilistic(Objective))
            throw new OptionException($"--label-smoothing: one-sided label smoothing changes the cross-entropy target of real images; the {Objective} objective has no such target (use minimax or non-saturating).");
        if (GradientPenalty > 0 && Model.DiscriminatorNormalization == "batch")
            throw new OptionException("--gradient-penalty: batch norm makes each critic output depend on the whole batch, so the per-sample gradient penalty is no longer valid (Gulrajani 2017 §4); use --critic-norm layer or none.");
        if (GradientPenalty > 0 && Model.MinibatchKernels > 0)
            throw new OptionException("--minibatch-discrimination: its features couple the samples of a batch, which invalidates the per-sample gradient penalty; use one or the other.");
        if (EvalEvery < 0) throw new OptionException("--eval-every must be 0 (off) or more.");
        if (EvalSamples is < 10 or > 100_000) throw new OptionException($"--eval-n: {EvalSamples} is outside 10..100000.");
        if (EarlyStop < 0) throw new OptionException("--early-stop must be 0 (off) or more.");
        if (EarlyStop > 0 && EvalEvery == 0) throw new OptionException("--early-stop needs --eval-every: it counts evaluations without improvement.");
        foreach (var (flag, rate) in new[] { ("--g-lr", GeneratorLearningRate), ("--d-lr", DiscriminatorLearningRate) })
            if (rate is double r && !(r > 0 && r < 1)) throw new OptionException($"{flag}: {r} must be in (0, 1).");
        if (R1Gamma < 0) throw new OptionException("--r1 must be 0 (off) or positive.");
        if (R1Every is < 1 or > 1000) throw new OptionException($"--r1-every: {R1Every} is outside 1..1000.");
        if (!AugmentModes.Contains(Augment)) throw new OptionException($"--augment: unknown mode '{Augment}'; choose one of {string.Join(", ", AugmentModes)}.");
        DiffAugment.ParseOperations(AugmentOps);
        if (AdaTarget is <= 0 or >= 1) throw new OptionException($"--ada-target: {AdaTarget} must be in (0, 1).");
        if (AdaSpeedImages < 1) throw new OptionException("--ada-speed must be at least 1 image.");
        if (StyleAmbiguity < 0) throw new OptionException("--can: the style-ambiguity weight must be 0 (off) or positive.");
        if ((StyleAmbiguity > 0) != (Model.ClassHead > 0)) throw new OptionException("--can: the style-ambiguity loss and the discriminator's class head go together.");
        if (FeatureMatching && StyleAmbiguity > 0)
            throw new OptionException("--feature-matching: it replaces the adversarial generator loss that CAN's style ambiguity (--can) is added to; use one or the other.");
        if (Model.SpectralNorm && WeightClip > 0)
            throw new OptionException("--spectral-norm: spectral normalisation already bounds the critic; clipping the raw weights as well is meaningless (use one or the other).");
        if (GradientPenalty > 0 && WeightClip > 0)
            throw new OptionException("--weight-clip: the gradient penalty replaces weight clipping (Gulrajani 2017); use one or the other.");
    }
}

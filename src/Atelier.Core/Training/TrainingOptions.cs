using Atelier.Imaging;
using Atelier.Models;
using Atelier.Platform;

namespace Atelier.Training;

/// <summary>
/// Everything that decides a training run; saved as options.json and in every checkpoint. The parts are sub-records
/// (model, game, optimisation, augmentation, evaluation, schedule); in JSON they stay one flat object, as every run
/// has written it (<see cref="TrainingOptionsJson"/>).
/// </summary>
/// <param name="Data">Dataset name or folder (--data).</param>
/// <param name="Model">Architecture and sizes (--model, --resolution, --channels, ...).</param>
public sealed record TrainingOptions(string Data, ModelOptions Model)
{
    /// <summary>The objective and the terms added to it.</summary>
    public GameOptions Game { get; init; } = new();

    /// <summary>Optimiser, batch, learning rates, moving average.</summary>
    public OptimizationOptions Optimization { get; init; } = new();

    /// <summary>Flips and differentiable augmentation.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Evaluation during training.</summary>
    public TrainingEvaluationOptions Evaluation { get; init; } = new();

    /// <summary>Steps, samples, checkpoints, rollbacks.</summary>
    public ScheduleOptions Schedule { get; init; } = new();

    /// <summary>Decides initial weights, batch order, flips and noise: same seed, same run.</summary>
    public long Seed { get; init; }

    /// <summary>CPU threads for tensor work; 0 = libtorch's default (all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Where the networks train (--device).</summary>
    public ComputeDevice Device { get; init; } = Recipes.TrainingDefaults.Device;

    /// <summary>--data-root for installed datasets.</summary>
    public string? DataRoot { get; init; }

    /// <summary>How non-square folder images become square.</summary>
    public ImageFit Fit { get; init; } = ImageFit.CenterCrop;

    /// <summary>The --preset the options started from, if any (recorded; the other fields say what it set).</summary>
    public string? Preset { get; init; }

    /// <summary>The weights the run started from instead of random ones (--init-from); written only when set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public InitialWeights? InitFrom { get; init; }

    /// <summary>Names of the classes of a conditional or CAN model, in label order.</summary>
    public string[]? ClassNames { get; init; }

    /// <summary>These options with the game changed by <paramref name="change"/> (e.g. <c>o.WithGame(g =&gt; g with { R1Gamma = 1 })</c>).</summary>
    public TrainingOptions WithGame(Func<GameOptions, GameOptions> change) => this with { Game = change(Game) };

    /// <summary>These options with the optimisation changed by <paramref name="change"/>.</summary>
    public TrainingOptions WithOptimization(Func<OptimizationOptions, OptimizationOptions> change) => this with { Optimization = change(Optimization) };

    /// <summary>These options with the augmentation changed by <paramref name="change"/>.</summary>
    public TrainingOptions WithAugmentation(Func<AugmentationOptions, AugmentationOptions> change) => this with { Augmentation = change(Augmentation) };

    /// <summary>These options with the evaluation changed by <paramref name="change"/>.</summary>
    public TrainingOptions WithEvaluation(Func<TrainingEvaluationOptions, TrainingEvaluationOptions> change) => this with { Evaluation = change(Evaluation) };

    /// <summary>These options with the schedule changed by <paramref name="change"/>.</summary>
    public TrainingOptions WithSchedule(Func<ScheduleOptions, ScheduleOptions> change) => this with { Schedule = change(Schedule) };

    /// <summary>Options for an objective with its paper's optimizer, learning rate, critic steps and normalisation.</summary>
    public static TrainingOptions ForObjective(string data, ModelOptions model, Objectives.Objective objective)
    {
        var d = Objectives.ObjectiveCatalog.Defaults(objective);
        return new TrainingOptions(data, model with { DiscriminatorNormalization = d.Normalization })
        {
            Game = new() { Objective = objective, DiscriminatorSteps = d.DiscriminatorSteps, WeightClip = d.WeightClip, GradientPenalty = d.GradientPenalty },
            Optimization = new() { Optimizer = d.Optimizer, LearningRate = d.LearningRate, Beta1 = d.Beta1, Beta2 = d.Beta2 },
        };
    }

    /// <summary>Throws with the flag named when an option is out of range or two contradict each other.</summary>
    public void Validate()
    {
        Model.Validate();
        Game.Validate();
        Optimization.Validate();
        Augmentation.Validate();
        Evaluation.Validate();
        Schedule.Validate();
        if (Seed < 0) throw new OptionException($"--seed: {Seed} must be 0 or more.");
        if (Threads is < 0 or > TorchRuntime.MaxThreads) throw new OptionException($"--threads: {Threads} is outside 0..{TorchRuntime.MaxThreads} (0 = all cores).");
        if (!Enum.IsDefined(Device)) throw new OptionException($"--device: {(int)Device} is not a device.");
        // Combinations of parts that contradict their papers are refused rather than silently run.
        if (Game.GradientPenalty > 0 && Model.DiscriminatorNormalization == Normalization.Batch)
            throw new OptionException("--gradient-penalty: batch norm makes each critic output depend on the whole batch, so the per-sample gradient penalty is no longer valid (Gulrajani 2017 §4); use --critic-norm layer or none.");
        if (Game.GradientPenalty > 0 && Model.MinibatchKernels > 0)
            throw new OptionException("--minibatch-discrimination: its features couple the samples of a batch, which invalidates the per-sample gradient penalty; use one or the other.");
        if ((Game.StyleAmbiguity > 0) != (Model.ClassHead > 0)) throw new OptionException("--can: the style-ambiguity loss and the discriminator's class head go together.");
        if (Model.Discriminator == DiscriminatorKind.SelfSupervised && Game.GradientPenalty > 0)
            throw new OptionException("--gradient-penalty: the self-supervised discriminator uses batch norm, which invalidates the per-sample penalty; use --r1 or none.");
        if (Model.Discriminator == DiscriminatorKind.SelfSupervised && Game.FeatureMatching)
            throw new OptionException("--feature-matching: it matches the pixel discriminator's last hidden layer, which the self-supervised discriminator does not expose; use --discriminator pixel.");
        if (Model.ProjectsFeatures && Game.GradientPenalty > 0)
            throw new OptionException("--gradient-penalty: the projected discriminator's small discriminators use batch norm, which invalidates the per-sample penalty; use --r1 or none.");
        if (Model.ProjectsFeatures && Game.FeatureMatching)
            throw new OptionException("--feature-matching: it matches the pixel discriminator's last hidden layer, which the projected discriminator does not have; use --discriminator pixel.");
        ValidateAutoencoder();
        if (Model.SpectralNorm && Game.WeightClip > 0)
            throw new OptionException("--spectral-norm: spectral normalisation already bounds the critic; clipping the raw weights as well is meaningless (use one or the other).");
    }

    /// <summary>An autoencoder plays no game, so the game's flags are refused for it, and its own flags for a GAN.</summary>
    private void ValidateAutoencoder()
    {
        if (Model.Family is not Models.Autoencoders.IAutoencoderFamily family)
        {
            if (Game.KlWeight is not null) throw new OptionException("--kl-weight: it weighs a VAE's KL term; use --model vae.");
            if (Game.InputNoise > 0) throw new OptionException("--denoise: it trains an autoencoder to remove noise; use --model autoencoder or vae.");
            return;
        }
        string model = $"--model {family.Name}";
        if (!family.Variational && Game.KlWeight is not null) throw new OptionException($"--kl-weight: a plain autoencoder has no KL term; use --model vae.");
        var game = new (bool Set, string Flag)[]
        {
            (Game.Objective != Recipes.TrainingDefaults.Objective, "--objective"), (Game.DiscriminatorSteps != 1, "--d-steps"), (Game.WeightClip > 0, "--weight-clip"), (Game.GradientPenalty > 0, "--gradient-penalty"),
            (Game.RealLabel != 1, "--label-smoothing"), (Game.FeatureMatching, "--feature-matching"), (Game.HistoricalAveraging > 0, "--historical-averaging"),
            (Game.R1Gamma > 0, "--r1"), (Game.StyleAmbiguity > 0, "--can"), (Augmentation.Mode != AugmentMode.None, "--augment"),
            (Evaluation.Every > 0, "--eval-every"), (InitFrom is not null, "--init-from"),
        };
        if (game.FirstOrDefault(g => g.Set) is { Flag: { } flag })
            throw new OptionException($"{flag}: it belongs to the GAN game, which {model} does not play (it trains an encoder and a decoder on reconstruction); leave it out.");
    }
}

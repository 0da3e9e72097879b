using Atelier.Data;
using Atelier.Imaging;
using Atelier.Models;
using Atelier.Platform;

namespace Atelier.Training.Recipes;

/// <summary>
/// Turns a <see cref="TrainingRequest"/> into <see cref="TrainingOptions"/>: the objective's paper settings, then the
/// preset, then what the user set. Resolution, channels and flips follow from what the dataset is; classes and epochs
/// need the opened data (<see cref="WithData"/>). The command line and the Studio both train through it.
/// </summary>
public static class TrainingRecipe
{
    /// <summary>Everything that can be decided before the data is opened.</summary>
    public static TrainingOptions Resolve(TrainingRequest r)
    {
        if (r.Steps is not null && r.Epochs is not null) throw new OptionException("--steps and --epochs: give one of them, not both.");
        var preset = r.Preset is string name ? TrainingPreset.Find(name) : null;
        var kind = DatasetResolver.KindOf(r.Data);
        (string Checkpoint, Runs.CheckpointManifest Manifest)? parentRead = r.InitFrom is string from ? InitialWeights.ReadParent(from) : null;
        var parent = parentRead?.Manifest.Model;
        var model = Model(r, preset, kind, parent);
        bool projected = model.ProjectsFeatures;
        // Both modern discriminators' papers train with the hinge loss and DiffAugment; FastGAN keeps Adam's usual betas.
        bool modern = projected || model.Discriminator == DiscriminatorKind.SelfSupervised;
        // An autoencoder plays no game: Adam's usual settings at a larger step.
        bool autoencoder = model.Family is Models.Autoencoders.IAutoencoderFamily;
        var objective = r.Objective ?? preset?.Objective ?? (modern ? TrainingDefaults.ProjectedObjective : TrainingDefaults.Objective);
        var paper = TrainingOptions.ForObjective(r.Data, model, objective);
        var options = paper with
        {
            Model = (r.CriticNorm ?? preset?.CriticNorm ?? parent?.DiscriminatorNormalization) is Normalization norm ? paper.Model with { DiscriminatorNormalization = norm } : paper.Model,
            Preset = preset?.Name,
            Seed = r.Seed ?? 0,
            Threads = r.Threads ?? 0,
            Device = r.Device ?? TrainingDefaults.Device,
            DataRoot = r.DataRoot,
            Fit = r.Fit ?? ImageFit.CenterCrop,
            Game = paper.Game with
            {
                DiscriminatorSteps = r.DiscriminatorSteps ?? paper.Game.DiscriminatorSteps,
                WeightClip = r.WeightClip ?? paper.Game.WeightClip,
                GradientPenalty = r.GradientPenalty ?? paper.Game.GradientPenalty,
                RealLabel = r.RealLabel ?? 1.0,
                FeatureMatching = r.FeatureMatching,
                HistoricalAveraging = r.HistoricalAveraging ?? 0,
                R1Gamma = r.R1Gamma ?? 0,
                R1Every = r.R1Every ?? TrainingDefaults.R1Every,
                KlWeight = r.KlWeight,
                InputNoise = r.InputNoise ?? 0,
            },
            Optimization = paper.Optimization with
            {
                Optimizer = r.Optimizer ?? paper.Optimization.Optimizer,
                BatchSize = r.BatchSize ?? preset?.BatchSize ?? TrainingDefaults.BatchSize,
                LearningRate = r.LearningRate ?? preset?.LearningRate ?? (autoencoder ? TrainingDefaults.AutoencoderLearningRate : paper.Optimization.LearningRate),
                GeneratorLearningRate = r.GeneratorLearningRate,
                DiscriminatorLearningRate = r.DiscriminatorLearningRate,
                Beta1 = r.Beta1 ?? preset?.Beta1 ?? (projected ? TrainingDefaults.ProjectedBeta1 : autoencoder ? TrainingDefaults.AutoencoderBeta1 : paper.Optimization.Beta1),
                Beta2 = r.Beta2 ?? preset?.Beta2 ?? (projected ? TrainingDefaults.ProjectedBeta2 : paper.Optimization.Beta2),
                EmaHalfLifeImages = r.EmaHalfLifeImages ?? preset?.EmaHalfLifeImages ?? TrainingDefaults.EmaHalfLifeImages,
            },
            Augmentation = new AugmentationOptions
            {
                Flip = !r.NoFlip && (kind.Idx?.Flips ?? true),
                Mode = r.Augment ?? preset?.Augment ?? (modern ? TrainingDefaults.ProjectedAugment : TrainingDefaults.Augment),
                Operations = r.AugmentOps ?? TrainingDefaults.AugmentOps,
                AdaTarget = r.AdaTarget ?? TrainingDefaults.AdaTarget,
                AdaSpeedImages = r.AdaSpeedImages ?? TrainingDefaults.AdaSpeedImages,
            },
            Evaluation = new TrainingEvaluationOptions
            {
                Every = r.EvalEvery ?? 0,
                Network = r.EvalNetwork ?? TrainingDefaults.EvalNetwork,
                Samples = r.EvalSamples ?? TrainingDefaults.EvalSamples,
                EarlyStop = r.EarlyStop ?? 0,
            },
            Schedule = new ScheduleOptions
            {
                Steps = r.Steps ?? TrainingDefaults.Steps,
                SampleEvery = r.SampleEvery ?? TrainingDefaults.SampleEvery,
                CheckpointEvery = r.CheckpointEvery ?? TrainingDefaults.CheckpointEvery,
                KeepCheckpoints = r.KeepCheckpoints ?? TrainingDefaults.KeepCheckpoints,
                DivergenceWindow = r.DivergenceWindow ?? TrainingDefaults.DivergenceWindow,
                TensorBoard = r.TensorBoard,
            },
        };
        if (parentRead is var (checkpoint, manifest)) options = options with { InitFrom = InitialWeights.For(checkpoint, manifest, options.Model) };
        options.Validate();
        return options;
    }

    /// <summary>The image side a request trains at: the flag, else the preset's, else what suits the data.</summary>
    public static int ResolutionOf(TrainingRequest r) =>
        Resolution(r, r.Preset is string name ? TrainingPreset.Find(name) : null, DatasetResolver.KindOf(r.Data),
            r.InitFrom is string from ? InitialWeights.ReadParent(from).Manifest.Model : null);

    /// <summary>
    /// What needs the opened data: the classes of a conditional or CAN model (from its labels) and --epochs as steps
    /// (passes over its images at BatchSize x DiscriminatorSteps images per step).
    /// </summary>
    public static TrainingOptions WithData(TrainingOptions options, TrainingRequest r, IImageSource source)
    {
        if (r.NeedsLabels)
        {
            if (source.Classes is not { Count: >= 2 } classes)
                throw new OptionException($"--conditional/--can: '{source.Name}' has no class labels; use an IDX dataset or a folder with one subfolder per class.");
            options = options with
            {
                Model = r.Conditional ? options.Model with { Classes = classes.Count } : options.Model with { ClassHead = classes.Count },
                Game = options.Game with { StyleAmbiguity = r.Can ?? 0 },
                ClassNames = classes.ToArray(),
            };
        }
        if (r.Epochs is double e)
        {
            if (!(e > 0)) throw new OptionException($"--epochs: {e} must be positive.");
            long steps = Math.Max(1, (long)Math.Ceiling(e * source.Count / (options.Optimization.BatchSize * options.Game.DiscriminatorSteps)));
            options = options with { Schedule = options.Schedule with { Steps = steps } };
        }
        options.Validate();
        return options;
    }

    /// <summary>The model a request asks for; with --init-from the parent's model (<paramref name="parent"/>) fills what the flags leave unset.</summary>
    private static ModelOptions Model(TrainingRequest r, TrainingPreset? preset, DatasetKind kind, ModelOptions? parent)
    {
        var architecture = r.Model ?? parent?.Architecture ?? TrainingDefaults.Model;
        int resolution = Resolution(r, preset, kind, parent);
        int width = TrainingDefaults.Width(resolution);
        var model = new ModelOptions(architecture, resolution, r.Channels ?? parent?.Channels ?? (kind.Idx is null ? 3 : 1), r.LatentSize ?? parent?.LatentSize ?? TrainingDefaults.LatentSize,
            r.GeneratorWidth ?? parent?.GeneratorWidth ?? width, r.DiscriminatorWidth ?? parent?.DiscriminatorWidth ?? width,
            MinibatchKernels: r.MinibatchDiscrimination ? r.MinibatchKernels ?? TrainingDefaults.MinibatchKernels : 0,
            MinibatchKernelSize: r.MinibatchKernelSize ?? TrainingDefaults.MinibatchKernelSize,
            VirtualBatchNorm: r.VirtualBatchNorm,
            ReferenceBatchSize: r.ReferenceBatchSize ?? TrainingDefaults.ReferenceBatchSize,
            SpectralNorm: r.SpectralNorm || (preset?.SpectralNorm ?? false) || (parent?.SpectralNorm ?? false),
            Discriminator: r.Discriminator ?? parent?.Discriminator ?? DiscriminatorKind.Pixel,
            ProjectedUpsample: r.ProjectedUpsample || (parent is { ProjectedUpsample: true } && (r.Discriminator ?? parent.Discriminator) != DiscriminatorKind.Pixel));
        model.Validate();
        return model;
    }

    private static int Resolution(TrainingRequest r, TrainingPreset? preset, DatasetKind kind, ModelOptions? parent) =>
        r.Resolution ?? parent?.Resolution ?? preset?.Resolution ?? DataResolution(r.Model ?? TrainingDefaults.Model, kind);

    /// <summary>What suits the data, moved up to the smallest side the family builds that is at least that (fastgan
    /// starts at 64), else its largest.</summary>
    private static int DataResolution(string architecture, DatasetKind kind)
    {
        var sides = ModelFamilies.Find(architecture).Resolutions;
        int suits = kind.Idx is not null ? TrainingDefaults.IdxResolution
            : kind.Procedural ? TrainingDefaults.ProceduralResolution
            : TrainingDefaults.FolderResolution;
        return sides.Contains(suits) ? suits : sides.Where(s => s >= suits).DefaultIfEmpty(sides.Max()).Min();
    }
}

using Atelier.Objectives;
using Atelier.Platform;

namespace Atelier.Training.Recipes;

/// <summary>
/// The defaults of a training run that no objective or preset decides, in one place: <see cref="TrainingOptions"/>,
/// <see cref="TrainingRecipe"/>, the command line's help and the Studio all read them from here.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>The main job's data: built in, nothing to install.</summary>
    public const string Data = "procedural:kandinsky";

    public const string Model = "dcgan";

    public const Objective Objective = Objectives.Objective.NonSaturating;

    public const long Steps = 4000;

    public const int BatchSize = 64;

    public const int SampleEvery = 250;

    public const int CheckpointEvery = 500;

    public const int KeepCheckpoints = 3;

    public const int LatentSize = 100;

    public const int DivergenceWindow = 300;

    public const int MaxRollbacks = 3;

    public const int MinibatchKernels = 100;

    public const int MinibatchKernelSize = 5;

    public const int ReferenceBatchSize = 64;

    public const int R1Every = 16;

    public const double EmaHalfLifeImages = 10_000;

    public const AugmentMode Augment = AugmentMode.None;

    public const string AugmentOps = "color,translation,cutout";

    public const double AdaTarget = 0.6;

    public const double AdaSpeedImages = 100_000;

    public const string EvalNetwork = "resnet18-imagenet";

    public const int EvalSamples = 1000;

    public const ComputeDevice Device = ComputeDevice.Cpu;

    /// <summary>--historical-averaging given without a value (Salimans 2016 leaves the weight open; this is small).</summary>
    public const double HistoricalAveragingWeight = 0.001;

    /// <summary>--label-smoothing given without a value: Salimans 2016's one-sided 0.9.</summary>
    public const double SmoothedRealLabel = 0.9;

    /// <summary>--can given without a value.</summary>
    public const double StyleAmbiguityWeight = 1.0;

    /// <summary>The projected discriminator's paper settings (Sauer 2021, autonomousvision/projected-gan): hinge loss,
    /// Adam β = (0, 0.99), DiffAugment on; applied like an objective's, before a preset and the flags.</summary>
    public const Objective ProjectedObjective = Objectives.Objective.Hinge;

    public const double ProjectedBeta1 = 0;

    public const double ProjectedBeta2 = 0.99;

    public const AugmentMode ProjectedAugment = AugmentMode.DiffAugment;

    /// <summary>A VAE's β: the evidence lower bound.</summary>
    public const double KlWeight = 1.0;

    /// <summary>Autoencoders' Adam settings (the usual ones, not DCGAN's β1 = 0.5): learning rate and β1.</summary>
    public const double AutoencoderLearningRate = 1e-3;

    public const double AutoencoderBeta1 = 0.9;

    /// <summary>Image side of MNIST-like data and of the classic model.</summary>
    public const int IdxResolution = 28;

    /// <summary>Image side of the procedural art styles.</summary>
    public const int ProceduralResolution = 32;

    /// <summary>Image side of a folder of images.</summary>
    public const int FolderResolution = 64;

    /// <summary>Feature maps of both networks: half of DCGAN's 64 up to 32x32, where small images train well and 2-4x faster.</summary>
    public static int Width(int resolution) => resolution <= 32 ? 32 : 64;
}

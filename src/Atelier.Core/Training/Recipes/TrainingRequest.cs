using Atelier.Imaging;
using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;

namespace Atelier.Training.Recipes;

/// <summary>
/// What a user asked for when starting a run: only what they set, every other field null. <see cref="TrainingRecipe"/>
/// turns it into <see cref="TrainingOptions"/>: the objective's paper first, then the preset, then these.
/// </summary>
public sealed record TrainingRequest
{
    public string Data { get; init; } = TrainingDefaults.Data;

    public string? Preset { get; init; }

    public string? Model { get; init; }

    public int? Resolution { get; init; }

    public int? Channels { get; init; }

    public int? LatentSize { get; init; }

    public int? GeneratorWidth { get; init; }

    public int? DiscriminatorWidth { get; init; }

    public Normalization? CriticNorm { get; init; }

    public DiscriminatorKind? Discriminator { get; init; }

    public bool ProjectedUpsample { get; init; }

    /// <summary>--init-from: a run or checkpoint whose weights the new run starts from; its model is the default model.</summary>
    public string? InitFrom { get; init; }

    public bool MinibatchDiscrimination { get; init; }

    public int? MinibatchKernels { get; init; }

    public int? MinibatchKernelSize { get; init; }

    public bool VirtualBatchNorm { get; init; }

    public int? ReferenceBatchSize { get; init; }

    public bool SpectralNorm { get; init; }

    /// <summary>Class-conditional model; the classes come from the data.</summary>
    public bool Conditional { get; init; }

    /// <summary>CAN's style-ambiguity weight (a class head on D; classes from the data).</summary>
    public double? Can { get; init; }

    public Objective? Objective { get; init; }

    public int? BatchSize { get; init; }

    public long? Steps { get; init; }

    /// <summary>Passes over the data, converted to steps once the data is open (instead of <see cref="Steps"/>).</summary>
    public double? Epochs { get; init; }

    public double? LearningRate { get; init; }

    public double? GeneratorLearningRate { get; init; }

    public double? DiscriminatorLearningRate { get; init; }

    public double? Beta1 { get; init; }

    public double? Beta2 { get; init; }

    public int? DiscriminatorSteps { get; init; }

    public Optimizer? Optimizer { get; init; }

    public double? WeightClip { get; init; }

    public double? GradientPenalty { get; init; }

    public double? RealLabel { get; init; }

    public bool FeatureMatching { get; init; }

    public double? HistoricalAveraging { get; init; }

    public double? R1Gamma { get; init; }

    public int? R1Every { get; init; }

    public double? EmaHalfLifeImages { get; init; }

    /// <summary>VAE: β of the KL term (--kl-weight).</summary>
    public double? KlWeight { get; init; }

    /// <summary>Autoencoders: noise added to the encoder's input (--denoise).</summary>
    public double? InputNoise { get; init; }

    public AugmentMode? Augment { get; init; }

    public string? AugmentOps { get; init; }

    public double? AdaTarget { get; init; }

    public double? AdaSpeedImages { get; init; }

    public long? Seed { get; init; }

    public int? SampleEvery { get; init; }

    /// <summary>Also write TensorBoard event files.</summary>
    public bool TensorBoard { get; init; }

    public int? CheckpointEvery { get; init; }

    public int? KeepCheckpoints { get; init; }

    public int? Threads { get; init; }

    public ComputeDevice? Device { get; init; }

    /// <summary>True: no horizontal flips even where the data allows them.</summary>
    public bool NoFlip { get; init; }

    public int? DivergenceWindow { get; init; }

    public string? DataRoot { get; init; }

    public ImageFit? Fit { get; init; }

    public int? EvalEvery { get; init; }

    public string? EvalNetwork { get; init; }

    public int? EvalSamples { get; init; }

    public int? EarlyStop { get; init; }

    /// <summary>True when the model needs the data's class labels.</summary>
    public bool NeedsLabels => Conditional || Can is not null;
}

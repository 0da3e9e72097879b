using Atelier.Models;
using Atelier.Objectives;
using Atelier.Platform;

namespace Atelier.Training;

/// <summary>
/// Named recipes. A preset sets the options below; any flag given on the command line still wins over it.
/// </summary>
/// <param name="Name">--preset name.</param>
/// <param name="Description">When to use it.</param>
/// <param name="Objective">The GAN game.</param>
/// <param name="Resolution">Image side.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="SpectralNorm">Spectral normalisation of the discriminator.</param>
/// <param name="CriticNorm">Discriminator normalisation.</param>
/// <param name="Augment">Differentiable augmentation.</param>
/// <param name="LearningRate">Adam step size of both networks.</param>
/// <param name="Beta1">Adam β1.</param>
/// <param name="Beta2">Adam β2.</param>
/// <param name="EmaHalfLifeImages">Half-life of the generator's moving average, in images.</param>
public sealed record TrainingPreset(string Name, string Description, Objective Objective, int? Resolution, int BatchSize, bool SpectralNorm,
    Normalization CriticNorm, AugmentMode Augment, double LearningRate, double Beta1, double Beta2, double EmaHalfLifeImages)
{
    public static IReadOnlyList<TrainingPreset> All { get; } =
    [
        new("small-art",
            "1,000-5,000 images at 64x64: hinge loss, spectral norm on D (no batch norm), DiffAugment (colour, translation, cutout) " +
            "on real and generated images, batch 32, EMA half-life 5,000 images",
            Objective: Objective.Hinge, Resolution: 64, BatchSize: 32, SpectralNorm: true, CriticNorm: Normalization.None, Augment: AugmentMode.DiffAugment,
            LearningRate: 2e-4, Beta1: 0.5, Beta2: 0.999, EmaHalfLifeImages: 5_000),
        new("fashion",
            "Fashion-MNIST 28x28: DCGAN with the non-saturating loss and batch norm, batch 64, Adam 2e-4 (0.5, 0.999), EMA half-life 10,000 images",
            Objective: Objective.NonSaturating, Resolution: 28, BatchSize: 64, SpectralNorm: false, CriticNorm: Normalization.Batch, Augment: AugmentMode.None,
            LearningRate: 2e-4, Beta1: 0.5, Beta2: 0.999, EmaHalfLifeImages: 10_000),
    ];

    public static TrainingPreset Find(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new OptionException($"--preset: unknown preset '{name}'; choose one of {string.Join(", ", All.Select(p => p.Name))}.");
}

using Atelier.Models;
using Atelier.Training;

namespace Atelier.Objectives;

/// <summary>The settings an objective's paper trains with; applied unless the user overrides them.</summary>
/// <param name="Optimizer">The optimiser of both networks.</param>
/// <param name="LearningRate">Step size of both networks.</param>
/// <param name="Beta1">Adam β1.</param>
/// <param name="Beta2">Adam β2.</param>
/// <param name="DiscriminatorSteps">Critic updates per generator update.</param>
/// <param name="Normalization">Discriminator normalisation.</param>
/// <param name="WeightClip">Critic weight clipping bound (0 = off).</param>
/// <param name="GradientPenalty">Gradient penalty weight λ (0 = off).</param>
public sealed record ObjectiveDefaults(
    Optimizer Optimizer, double LearningRate, double Beta1, double Beta2, int DiscriminatorSteps, Normalization Normalization, double WeightClip, double GradientPenalty);

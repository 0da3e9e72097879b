using Atelier.Models;
using Atelier.Platform;
using Atelier.Training;

namespace Atelier.Objectives;

/// <summary>Every objective, with its paper's defaults.</summary>
public static class ObjectiveCatalog
{
    /// <summary>The objectives' names, as --objective takes them.</summary>
    public static IReadOnlyList<string> Names => EnumText.Names<Objective>();

    /// <summary>Radford 2015 for the cross-entropy, hinge and least-squares games; Arjovsky 2017 Alg. 1; Gulrajani 2017 Alg. 1.</summary>
    public static ObjectiveDefaults Defaults(Objective objective) => objective switch
    {
        Objective.Wgan => new(Optimizer.RmsProp, 5e-5, 0.5, 0.999, 5, Normalization.Batch, 0.01, 0),
        Objective.WganGp => new(Optimizer.Adam, 1e-4, 0.0, 0.9, 5, Normalization.Layer, 0, 10),
        _ => new(Optimizer.Adam, 2e-4, 0.5, 0.999, 1, Normalization.Batch, 0, 0),
    };

    public static IGanObjective Create(Objective objective, double realLabel = 1.0) => objective switch
    {
        Objective.Minimax => new MinimaxObjective(realLabel),
        Objective.NonSaturating => new NonSaturatingObjective(realLabel),
        Objective.Wgan => new WassersteinObjective(Objective.Wgan),
        Objective.WganGp => new WassersteinObjective(Objective.WganGp),
        Objective.Hinge => new HingeObjective(),
        Objective.LeastSquares => new LeastSquaresObjective(),
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "not an objective"),
    };

    /// <summary>True when the discriminator's output is a logit of "real" (σ(l) is a probability).</summary>
    public static bool IsProbabilistic(Objective objective) => objective is Objective.Minimax or Objective.NonSaturating;
}

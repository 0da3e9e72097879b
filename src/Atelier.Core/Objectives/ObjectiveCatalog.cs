using Atelier.Platform;
namespace Atelier.Objectives;

/// <summary>Every objective by name, with its paper's defaults.</summary>
public static class ObjectiveCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["minimax", "non-saturating", "wgan", "wgan-gp", "hinge", "least-squares"];

    /// <summary>Radford 2015 for the cross-entropy, hinge and least-squares games; Arjovsky 2017 Alg. 1; Gulrajani 2017 Alg. 1.</summary>
    public static ObjectiveDefaults Defaults(string name) => name switch
    {
        "wgan" => new("rmsprop", 5e-5, 0.5, 0.999, 5, "batch", 0.01, 0),
        "wgan-gp" => new("adam", 1e-4, 0.0, 0.9, 5, "layer", 0, 10),
        _ => new("adam", 2e-4, 0.5, 0.999, 1, "batch", 0, 0),
    };

    public static IGanObjective Create(string name, double realLabel = 1.0) => name switch
    {
        "minimax" => new MinimaxObjective(realLabel),
        "non-saturating" => new NonSaturatingObjective(realLabel),
        "wgan" => new WassersteinObjective("wgan"),
        "wgan-gp" => new WassersteinObjective("wgan-gp"),
        "hinge" => new HingeObjective(),
        "least-squares" => new LeastSquaresObjective(),
        _ => throw new OptionException($"--objective: unknown objective '{name}'; choose one of {string.Join(", ", Names)}."),
    };

    /// <summary>True when the discriminator's output is a logit of "real" (σ(l) is a probability).</summary>
    public static bool IsProbabilistic(string name) => name is "minimax" or "non-saturating";
}

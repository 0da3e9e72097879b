using System.Text.Json.Serialization;
using Atelier.Platform;
using Atelier.Training.Recipes;

namespace Atelier.Training;

/// <summary>Evaluation during training: how often, with which network, and when to stop.</summary>
public sealed record TrainingEvaluationOptions
{
    /// <summary>Steps between FID evaluations of the averaged generator (0 = off); the best is marked "best" (--eval-every).</summary>
    [JsonPropertyName("evalEvery")]
    public int Every { get; init; }

    /// <summary>Feature network of those evaluations (--eval-network).</summary>
    [JsonPropertyName("evalNetwork")]
    public string Network { get; init; } = TrainingDefaults.EvalNetwork;

    /// <summary>Generated and real images per evaluation (--eval-n).</summary>
    [JsonPropertyName("evalSamples")]
    public int Samples { get; init; } = TrainingDefaults.EvalSamples;

    /// <summary>Stop when FID has not improved for this many evaluations (0 = never).</summary>
    public int EarlyStop { get; init; }

    /// <summary>Throws with the flag named when a value is out of range.</summary>
    public void Validate()
    {
        if (Every < 0) throw new OptionException("--eval-every must be 0 (off) or more.");
        if (Samples is < 10 or > 100_000) throw new OptionException($"--eval-n: {Samples} is outside 10..100000.");
        if (EarlyStop < 0) throw new OptionException("--early-stop must be 0 (off) or more.");
        if (EarlyStop > 0 && Every == 0) throw new OptionException("--early-stop needs --eval-every: it counts evaluations without improvement.");
    }
}

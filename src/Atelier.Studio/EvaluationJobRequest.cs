using Atelier.Metrics;

namespace Atelier.Studio;

/// <summary>
/// An evaluation the Studio runs on one of its runs: `atelier evaluate` (Core's <see cref="EvaluationPipeline"/>) in a
/// job of the queue. Its result is logged to the run's metrics.jsonl as an "evaluation" event, where the run page reads it.
/// </summary>
/// <param name="Checkpoint">latest, best or a step number.</param>
/// <param name="Network">The feature network: resnet18-imagenet or domain:&lt;installed labelled dataset&gt;.</param>
/// <param name="Samples">Images per side (--n).</param>
public sealed record EvaluationJobRequest(string Checkpoint = "latest", string Network = ResNet18Features.NetworkId, int Samples = 1000)
{
    public const int MinSamples = 50;

    public const int MaxSamples = 10_000;
}

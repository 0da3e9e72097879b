namespace Atelier.Training.Log;

/// <summary>An "evaluation" event: the metrics of one checkpoint's generator, in the features of <see cref="Network"/>.</summary>
/// <param name="Best">Training only: this FID was the best so far (the checkpoint is marked best).</param>
/// <param name="Metrics">Every metric of the event by name (fid, kid, is, precision, ...).</param>
public sealed record EvaluationEvent(long Step, EvaluationSource Source, string? Network, string? Protocol, bool Best, string? Checkpoint,
    IReadOnlyDictionary<string, double> Metrics)
{
    public double? Fid => Metrics.TryGetValue("fid", out var f) ? f : null;
}

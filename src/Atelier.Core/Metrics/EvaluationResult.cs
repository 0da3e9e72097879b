namespace Atelier.Metrics;

/// <summary>The numbers of one evaluation with what they depend on.</summary>
/// <param name="Protocol">Network, resize, both samples and their n: the conditions every number holds under.</param>
/// <param name="Metrics">The metrics measured, in the order asked for.</param>
/// <param name="Copies">The copy check's result, when it ran.</param>
public sealed record EvaluationResult(EvaluationProtocol Protocol, IReadOnlyList<MetricValue> Metrics, CopyDetector.Result? Copies)
{
    /// <summary>The value of the metric named <paramref name="name"/> (fid, kid, is, precision, recall, ...), or null when not measured.</summary>
    public double? Get(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;
}

namespace Atelier.Metrics;

public sealed record EvaluationResult(EvaluationProtocol Protocol, IReadOnlyList<MetricValue> Metrics, CopyDetector.Result? Copies)
{
    public double? Get(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;
}

using System.Globalization;

namespace Atelier.Metrics;

/// <summary>One metric's value; Std is the spread over subsets or splits where the metric has one.</summary>
public sealed record MetricValue(string Name, double Value, double? Std = null)
{
    public string Formatted => Std is { } s
        ? $"{Value.ToString("0.####", CultureInfo.InvariantCulture)} ± {s.ToString("0.####", CultureInfo.InvariantCulture)}"
        : Value.ToString("0.####", CultureInfo.InvariantCulture);
}

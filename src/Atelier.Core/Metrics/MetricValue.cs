using System.Globalization;

namespace Atelier.Metrics;

/// <summary>One metric's value; Std is the spread over subsets or splits where the metric has one.</summary>
public sealed record MetricValue(string Name, double Value, double? Std = null)
{
    /// <summary>The value to four decimals, with its spread ("12.3456 ± 0.12") where there is one.</summary>
    public string Formatted => Std is { } s
        ? $"{Value.ToString("0.####", CultureInfo.InvariantCulture)} ± {s.ToString("0.####", CultureInfo.InvariantCulture)}"
        : Value.ToString("0.####", CultureInfo.InvariantCulture);
}

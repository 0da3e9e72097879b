namespace Atelier.Valuation;

/// <summary>A mean across folds with its standard deviation (the spread of the folds, not a standard error).</summary>
public sealed record Spread(double Mean, double StandardDeviation)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new Spread(double.NaN, double.NaN);
        double mean = v.Average();
        return new Spread(mean, v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    public string Format(string format = "F3") =>
        $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ± {StandardDeviation.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}";
}

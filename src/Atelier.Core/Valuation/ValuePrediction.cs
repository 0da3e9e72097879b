namespace Atelier.Valuation;

/// <summary>A work's predicted value: on the target's own scale (exp taken back with --log), or the chance of yes.</summary>
/// <param name="Value">The prediction (a probability for yes/no).</param>
/// <param name="Lower">The conformal interval's lower end at the model's coverage (NaN for yes/no).</param>
/// <param name="Upper">Its upper end.</param>
/// <param name="Distance">RMS distance (standardised features) to the nearest training work.</param>
/// <param name="OutsideDomain">True when that distance is beyond the farthest one the validation folds showed.</param>
public sealed record ValuePrediction(double Value, double Lower, double Upper, double Distance, bool OutsideDomain);

namespace Atelier.Valuation;

/// <summary>A work's prediction by the model of the fold that held it out, on the fitted scale (a probability for yes/no).</summary>
public sealed record HeldOutPrediction(int Index, int Fold, double Truth, double Predicted, double Lower, double Upper);

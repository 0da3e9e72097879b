namespace Atelier.Valuation;

/// <summary>One image's explanation: its prediction, each descriptor's part in it, and the saliency sheet's file.</summary>
public sealed record ImageExplanation(string Name, ValuePrediction Prediction, IReadOnlyList<(string Descriptor, double Contribution)> Contributions, double NetworkContribution, string? SaliencyFile);

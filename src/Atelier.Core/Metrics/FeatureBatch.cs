namespace Atelier.Metrics;

/// <summary>Row-major features [count × Dimension] and, when the network has classes, probabilities [count × ClassCount].</summary>
public sealed record FeatureBatch(float[] Features, float[]? Probabilities);

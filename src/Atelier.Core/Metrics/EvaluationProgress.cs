namespace Atelier.Metrics;

/// <summary>How far one stage of an evaluation is: <paramref name="Done"/> of <paramref name="Total"/> images.</summary>
/// <param name="Stage">What is being done, e.g. "features of the generated images".</param>
public sealed record EvaluationProgress(string Stage, long Done, long Total);

namespace Atelier.Metrics;

/// <summary>An evaluation as `atelier evaluate` runs it, and where its report went.</summary>
public sealed record EvaluationReport(EvaluationResult Result, string ReportFile, string? CopiesHtml, string? CopiesPng, string? Checkpoint);

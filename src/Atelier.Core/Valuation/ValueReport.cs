namespace Atelier.Valuation;

/// <summary>
/// The cross-validation of a value model, always shown: each fold, the summaries against the baseline, the score of all
/// held-out predictions pooled (steadier than a fold's when a grouped fold holds few artists), the conformal intervals'
/// coverage on held-out works, and the verdict.
/// </summary>
public sealed record ValueReport(
    string Task,
    string Target,
    bool Log,
    string? GroupColumn,
    int Rows,
    int Groups,
    int Folds,
    string Features,
    IReadOnlyList<FoldScore> PerFold,
    Spread Score,
    Spread BaselineScore,
    Spread Error,
    Spread BaselineError,
    Spread Spearman,
    double PooledScore,
    double PooledBaselineScore,
    double CoverageTarget,
    double CoverageObserved,
    bool BeatsBaseline,
    string Verdict,
    IReadOnlyList<DescriptorImportance> Importance)
{
    /// <summary>What Score means ("R²" or "AUC").</summary>
    public string ScoreName => Task == ValueModel.Classification ? "AUC" : "R²";

    /// <summary>What Error means.</summary>
    public string ErrorName => Task == ValueModel.Classification ? "log loss" : "MAE";

    /// <summary>The scale the numbers are on: the target, or its natural log with --log.</summary>
    public string Scale => Log ? $"ln({Target})" : Target;
}

namespace Atelier.Valuation;

/// <summary>
/// How one held-out fold went. Score is R² for values and AUC for yes/no; the baseline predicts the training folds'
/// mean (R²) or scores every work alike (AUC 0.5). Error is MAE for values and log loss for yes/no.
/// </summary>
public sealed record FoldScore(
    int Fold,
    int Rows,
    double Regularisation,
    double Score,
    double BaselineScore,
    double Error,
    double BaselineError,
    double Spearman,
    double Accuracy,
    double BaselineAccuracy,
    double IntervalHalfWidth,
    double Coverage);

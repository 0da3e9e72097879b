namespace Atelier.Valuation;

/// <summary>
/// Permutation importance of one descriptor: how much worse the held-out predictions get (MSE, or log loss for yes/no)
/// when that descriptor's values are shuffled among the held-out works, averaged over folds and repeats; and the final
/// model's weight on it (change of the fitted target per standard deviation of the descriptor).
/// </summary>
public sealed record DescriptorImportance(string Name, string Meaning, double ErrorIncrease, double Weight);

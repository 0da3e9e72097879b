namespace Atelier.Valuation;

/// <summary>How a value model is fitted and validated.</summary>
/// <param name="Folds">k of the k-fold cross-validation (outer, and inner for choosing the regularisation); 5 as in most studies of small data.</param>
/// <param name="Coverage">The split-conformal intervals' stated coverage, 0.9: nine held-out works in ten inside their interval.</param>
/// <param name="Seed">Seed of the folds and the permutations; the fit is otherwise deterministic.</param>
/// <param name="PermutationRepeats">Shuffles per descriptor and fold for permutation importance.</param>
public sealed record ValueFitOptions(int Folds = 5, double Coverage = 0.9, long Seed = 0, int PermutationRepeats = 5)
{
    /// <summary>Fewest rows a fit accepts.</summary>
    public const int MinimumRows = 10;

    public void Validate()
    {
        if (Folds < 2 || Folds > 20) throw new Platform.OptionException($"--folds: {Folds} is not a number of folds from 2 to 20 (5 is usual).");
        if (!(Coverage > 0 && Coverage < 1)) throw new Platform.OptionException($"--coverage: {Coverage} is not a share between 0 and 1 (0.9 is usual).");
        if (PermutationRepeats < 1) throw new Platform.OptionException($"permutation repeats: {PermutationRepeats} must be at least 1.");
    }
}

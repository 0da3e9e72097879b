using Atelier.Platform;
namespace Atelier.Metrics;

/// <summary>
/// Inception Score (Salimans 2016): exp(E_x KL(p(y|x) ‖ p(y))), computed on each of <c>splits</c> equal parts of
/// the images, reported as mean ± standard deviation over the parts. It ranges from 1 (every image gets the
/// same class distribution) to the number of classes (confident and evenly spread).
/// </summary>
public static class InceptionScore
{
    public const int DefaultSplits = 10;

    public static (double Mean, double Std) Compute(float[] probabilities, int classes, int splits = DefaultSplits)
    {
        int n = probabilities.Length / classes;
        if (n < splits) throw new OptionException($"Inception Score needs at least {splits} images for {splits} splits, got {n}");
        var scores = new double[splits];
        for (int s = 0; s < splits; s++)
        {
            int from = s * n / splits, to = (s + 1) * n / splits;
            var marginal = new double[classes];
            for (int i = from; i < to; i++)
                for (int c = 0; c < classes; c++) marginal[c] += probabilities[i * classes + c];
            for (int c = 0; c < classes; c++) marginal[c] /= to - from;
            double kl = 0;
            for (int i = from; i < to; i++)
            {
                for (int c = 0; c < classes; c++)
                {
                    double p = probabilities[i * classes + c];
                    if (p > 0) kl += p * (Math.Log(p) - Math.Log(marginal[c]));
                }
            }
            scores[s] = Math.Exp(kl / (to - from));
        }
        double mean = scores.Average();
        return (mean, Math.Sqrt(scores.Select(v => (v - mean) * (v - mean)).Sum() / splits));
    }
}

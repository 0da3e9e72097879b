namespace Atelier.Valuation;

/// <summary>The scores of predictions against truth: R², MAE, Spearman's ρ; AUC, accuracy and log loss for yes/no.</summary>
public static class ValueMetrics
{
    /// <summary>1 − Σ(y − ŷ)² / Σ(y − ȳ)², ȳ the truth's own mean: 0 for predicting that mean, negative for worse.</summary>
    public static double RSquared(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        double mean = truth.Average(), residual = 0, total = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            residual += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        return total == 0 ? double.NaN : 1 - residual / total;
    }

    public static double MeanAbsoluteError(IReadOnlyList<double> truth, IReadOnlyList<double> predicted) =>
        truth.Select((t, i) => Math.Abs(t - predicted[i])).Average();

    /// <summary>Spearman's ρ: Pearson's correlation of the ranks, ties given their average rank; NaN when either side is constant.</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// The area under the ROC curve: the chance that a random yes scores above a random no, ties counted half
    /// (Mann–Whitney U / (n₁n₀)); NaN without both classes.
    /// </summary>
    public static double Auc(IReadOnlyList<double> truth, IReadOnlyList<double> score)
    {
        var ranks = Ranks(score);
        double positives = truth.Count(t => t == 1), negatives = truth.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        double rankSum = 0;
        for (int i = 0; i < truth.Count; i++) if (truth[i] == 1) rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>The share of yes/no predicted right at probability 0.5.</summary>
    public static double Accuracy(IReadOnlyList<double> truth, IReadOnlyList<double> probability) =>
        truth.Select((t, i) => (probability[i] >= 0.5 ? 1.0 : 0.0) == t ? 1.0 : 0.0).Average();

    /// <summary>Mean negative log-likelihood of the truth, probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(IReadOnlyList<double> truth, IReadOnlyList<double> probability) =>
        truth.Select((t, i) =>
        {
            double p = Math.Clamp(probability[i], 1e-15, 1 - 1e-15);
            return -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
        }).Average();

    /// <summary>1-based ranks, ties sharing their average rank.</summary>
    internal static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}

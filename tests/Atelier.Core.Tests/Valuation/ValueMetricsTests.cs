using Atelier.Valuation;

namespace Atelier.Core.Tests.Valuation;

public sealed class ValueMetricsTests
{
    [Fact]
    public void R_squared_and_mae_match_a_hand_computation()
    {
        double[] truth = [1, 2, 3, 4], predicted = [1.5, 2, 2, 5];
        // Residuals 0.5, 0, 1, 1 → SS 2.25; about the mean 2.5: 2.25+0.25+0.25+2.25 = 5.
        Assert.Equal(1 - 2.25 / 5, ValueMetrics.RSquared(truth, predicted), 12);
        Assert.Equal(2.5 / 4, ValueMetrics.MeanAbsoluteError(truth, predicted), 12);
        Assert.Equal(0, ValueMetrics.RSquared(truth, [2.5, 2.5, 2.5, 2.5]), 12);
    }

    [Fact]
    public void Spearman_gives_ties_their_average_rank()
    {
        Assert.Equal([1.5, 1.5, 3, 4], ValueMetrics.Ranks([7, 7, 8, 9]));
        Assert.Equal(1, ValueMetrics.Spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 12);
        Assert.Equal(-1, ValueMetrics.Spearman([1, 2, 3], [3, 2, 1]), 12);
        // Ranks a = (1.5, 1.5, 3, 4), b = (1, 2, 3, 4): Pearson of those by hand.
        double[] a = [1.5, 1.5, 3, 4], b = [1, 2, 3, 4];
        double ma = a.Average(), mb = b.Average();
        double r = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb)) / Math.Sqrt(a.Sum(v => (v - ma) * (v - ma)) * b.Sum(v => (v - mb) * (v - mb)));
        Assert.Equal(r, ValueMetrics.Spearman([5, 5, 6, 7], [1, 2, 3, 4]), 12);
        Assert.True(double.IsNaN(ValueMetrics.Spearman([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void Auc_counts_the_pairs_a_yes_outscores_a_no_with_ties_half()
    {
        // Yes scores 0.9, 0.4; no scores 0.5, 0.4, 0.1: pairs won 3 + (1 + 0.5) = 4.5 of 6.
        Assert.Equal(4.5 / 6, ValueMetrics.Auc([1, 1, 0, 0, 0], [0.9, 0.4, 0.5, 0.4, 0.1]), 12);
        Assert.Equal(1, ValueMetrics.Auc([0, 1], [0.2, 0.3]), 12);
        Assert.True(double.IsNaN(ValueMetrics.Auc([1, 1], [0.2, 0.3])));
    }

    [Fact]
    public void Log_loss_and_accuracy_match_a_hand_computation()
    {
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, ValueMetrics.LogLoss([1, 0], [0.8, 0.4]), 12);
        Assert.Equal(0.5, ValueMetrics.Accuracy([1, 0], [0.8, 0.6]), 12);
    }
}

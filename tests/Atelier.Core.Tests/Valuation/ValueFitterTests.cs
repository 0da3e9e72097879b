using Atelier.Valuation;

namespace Atelier.Core.Tests.Valuation;

/// <summary>The verdicts on collections whose truth is known (docs/value-and-explanations.md shows the same at 200 works).</summary>
public sealed class ValueFitterTests
{
    /// <summary>The conformal intervals' coverage on held-out works is checked within this of the stated 90%.</summary>
    private const double CoverageTolerance = 0.07;

    internal static ValueFit Fit(ValueExampleKind kind, int count, string? target = null, bool group = false, bool log = false,
        ValueFeatureSet set = ValueFeatureSet.Descriptors, long seed = 0)
    {
        using var folder = new TempFolder();
        var table = WorksTable.Read(ValueExample.Write(folder.Path, kind, count, seed), target, group ? "artist" : null, log);
        using var features = new ValueFeatures(set);
        return ValueFitter.Fit(table, features, log, new ValueFitOptions());
    }

    [Fact]
    public void A_value_that_depends_on_what_is_visible_is_recovered_with_honest_intervals()
    {
        var fit = Fit(ValueExampleKind.Shapes, 200);
        var report = fit.Report;
        Assert.True(report.BeatsBaseline, report.Verdict);
        Assert.StartsWith("better than the baseline", report.Verdict);
        Assert.True(report.Score.Mean > 0.6, $"R² {report.Score.Format()}");
        Assert.True(report.BaselineScore.Mean <= 0, "predicting the training mean cannot beat the held-out mean");
        Assert.True(report.Error.Mean < 0.6 * report.BaselineError.Mean, $"MAE {report.Error.Mean} against {report.BaselineError.Mean}");
        Assert.InRange(report.CoverageObserved, 0.9 - CoverageTolerance, 0.9 + CoverageTolerance);
        Assert.Equal(5, report.PerFold.Count);
        Assert.Equal(200, fit.HeldOut.Count);
        // The shapes' count shows as colours and edges; their saturation as saturation or colourfulness.
        Assert.Contains(report.Importance.Take(6).Select(i => i.Name), n => n is "log2_distinct_colours" or "edge_density");
        Assert.Contains(report.Importance.Take(6).Select(i => i.Name), n => n is "saturation" or "colourfulness");
    }

    [Fact]
    public void Shuffled_values_are_reported_as_no_better_than_the_baseline()
    {
        var report = Fit(ValueExampleKind.Shuffled, 200).Report;
        Assert.False(report.BeatsBaseline, report.Verdict);
        Assert.StartsWith("no better than the baseline", report.Verdict);
        Assert.InRange(report.CoverageObserved, 0.9 - CoverageTolerance, 0.9 + CoverageTolerance);
    }

    [Fact]
    public void Grouped_validation_removes_the_leak_of_an_artists_works_on_both_sides()
    {
        var leaky = Fit(ValueExampleKind.Artists, 200, target: "price", log: true).Report;
        var grouped = Fit(ValueExampleKind.Artists, 200, group: true, log: true).Report;
        Assert.True(leaky.BeatsBaseline, "ungrouped, the model recognises each artist's palette and recalls the price: " + leaky.Verdict);
        Assert.True(leaky.PooledScore > 0.3, $"leaky pooled R² {leaky.PooledScore}");
        Assert.False(grouped.BeatsBaseline, "on unseen artists the palette says nothing of the price: " + grouped.Verdict);
        Assert.True(grouped.PooledScore < 0.1, $"grouped pooled R² {grouped.PooledScore}");
        Assert.Equal("artist", grouped.GroupColumn);
        Assert.Equal(14, grouped.Groups);
    }

    [Fact]
    public void A_yes_no_target_is_fitted_as_a_classifier_and_scored_by_auc()
    {
        var report = Fit(ValueExampleKind.Sold, 160).Report;
        Assert.Equal(ValueModel.Classification, report.Task);
        Assert.True(report.BeatsBaseline, report.Verdict);
        Assert.True(report.Score.Mean > 0.85, $"AUC {report.Score.Format()}");
        Assert.All(report.PerFold, f => Assert.Equal(0.5, f.BaselineScore));
        Assert.True(double.IsNaN(report.CoverageObserved));
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_bit_for_bit_and_another_seed_other_folds()
    {
        var a = Fit(ValueExampleKind.Shapes, 60);
        var b = Fit(ValueExampleKind.Shapes, 60);
        Assert.Equal(a.Model.Weights, b.Model.Weights);
        Assert.Equal(a.HeldOut.Select(h => h.Predicted), b.HeldOut.Select(h => h.Predicted));
        var folds = a.HeldOut.Select(h => h.Fold).ToArray();
        Assert.All(Enumerable.Range(0, 5), f => Assert.Equal(12, folds.Count(x => x == f)));
    }

    [Fact]
    public void Too_few_works_or_groups_are_refused_with_what_is_needed()
    {
        var e = Assert.Throws<InvalidDataException>(() => Fit(ValueExampleKind.Shapes, 8));
        Assert.Contains("8 works", e.Message);
        Assert.Contains("at least 10", e.Message);
        var raw = Enumerable.Range(0, 12).Select(i => new double[] { i, i % 3 }).ToArray();
        var targets = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        var model = new ValueModel { Task = ValueModel.Regression, Target = "value", Group = "artist", Csv = "works.csv", CsvSha256 = "", Features = "descriptors", Descriptors = [] };
        var groups = Assert.Throws<InvalidDataException>(() => ValueFitter.Fit(raw, targets, targets.Select(t => t < 6 ? "a" : "b").ToArray(), 0, model, new ValueFitOptions()));
        Assert.Contains("--group artist: 2 groups; grouped cross-validation needs at least 3", groups.Message);
    }

    [Fact]
    public void Resnet18_features_with_the_descriptors_also_find_the_signal()
    {
        var report = Fit(ValueExampleKind.Shapes, 100, set: ValueFeatureSet.Both).Report;
        Assert.True(report.BeatsBaseline, report.Verdict);
        Assert.Equal("resnet18+descriptors", report.Features);
        Assert.Equal(ImageDescriptors.Names.Count, report.Importance.Count);
    }
}

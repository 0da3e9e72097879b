using MathNet.Numerics.LinearAlgebra;

namespace Atelier.Valuation;

/// <summary>
/// Fits a value model by nested cross-validation. Outer k folds (grouped by artist when groups are given) measure it;
/// inside each outer training set, inner k folds choose the ridge/logistic regularisation and give the out-of-fold
/// residuals whose quantile is the split-conformal interval (Vovk et al. 2005; Lei et al. 2018), whose coverage is then
/// checked on the outer held-out fold. The final model repeats the inner step on all rows.
/// </summary>
public static class ValueFitter
{
    /// <summary>
    /// Fits the works of a CSV: each image's features (an unreadable one fails naming its row), ln of the targets with
    /// <paramref name="log"/> (ignored for yes/no), validated and fitted as <see cref="Fit(double[][], IReadOnlyList{double}, IReadOnlyList{string}, int, ValueModel, ValueFitOptions, IProgress{string})"/> does.
    /// </summary>
    public static ValueFit Fit(WorksTable table, ValueFeatures features, bool log, ValueFitOptions options, IProgress<string>? progress = null)
    {
        options.Validate();
        log &= !table.IsYesNo;
        progress?.Report("features");
        var labels = table.Works.Select(w => $"{table.CsvPath}: row {w.Row}: '{w.Image}'").ToArray();
        var raw = features.OfFiles(table.Works.Select(w => w.Path).ToArray(), labels);
        var description = new ValueModel
        {
            Task = table.IsYesNo ? ValueModel.Classification : ValueModel.Regression,
            Target = table.TargetColumn,
            Log = log,
            Group = table.GroupColumn,
            Csv = Path.GetFileName(table.CsvPath),
            CsvSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(table.CsvPath))),
            Features = Platform.EnumText.Name(features.Set),
            Network = features.NetworkId,
            Descriptors = [.. ImageDescriptors.Names.Take(features.DescriptorCount)],
        };
        var targets = table.Works.Select(w => log ? Math.Log(w.Target) : w.Target).ToArray();
        var fit = Fit(raw, targets, table.Works.Select(w => w.Group).ToArray(), features.DescriptorCount, description, options, progress);
        return fit with { Works = table.Works, Features = raw };
    }

    /// <param name="features">Each work's raw features (descriptors first, then network features).</param>
    /// <param name="targets">The values on the fitted scale (log already taken), or 0/1.</param>
    /// <param name="groups">Each work's group, or all null.</param>
    /// <param name="descriptorCount">How many leading features are <see cref="ImageDescriptors"/> (for importance).</param>
    /// <param name="model">The model's description; the fit fills in the weights.</param>
    public static ValueFit Fit(double[][] features, IReadOnlyList<double> targets, IReadOnlyList<string?> groups, int descriptorCount,
        ValueModel model, ValueFitOptions options, IProgress<string>? progress = null)
    {
        options.Validate();
        int n = features.Length;
        bool yesNo = model.Task == ValueModel.Classification;
        bool grouped = groups.Any(g => g is not null);
        int groupCount = grouped ? groups.Distinct().Count() : n;
        if (n < ValueFitOptions.MinimumRows)
            throw new InvalidDataException($"{model.Csv}: {n} works; validating a value model needs at least {ValueFitOptions.MinimumRows} (and tens to hundreds to learn anything).");
        if (grouped && groupCount < 3)
            throw new InvalidDataException($"--group {model.Group}: {groupCount} group{(groupCount == 1 ? "" : "s")}; grouped cross-validation needs at least 3 (leave the flag out to validate by work).");
        if (yesNo && (targets.Count(t => t == 1) < 2 || targets.Count(t => t == 0) < 2))
            throw new InvalidDataException($"{model.Csv}: '{model.Target}' needs at least two yes and two no rows to validate a classifier.");

        var all = Enumerable.Range(0, n).ToArray();
        int k = ValueFolds.Count(all, groups, options.Folds);
        var folds = ValueFolds.Assign(all, targets, groups, k, yesNo, options.Seed, "value-outer");
        var heldOut = new HeldOutPrediction[n];
        var baselineHeldOut = new double[n];
        var scores = new List<FoldScore>();
        var foldModels = new List<(int[] Test, Standardiser Scale, LinearWeights Weights)>();
        for (int f = 0; f < k; f++)
        {
            progress?.Report($"fold {f + 1}/{k}");
            var train = all.Where(i => folds[i] != f).ToArray();
            var test = all.Where(i => folds[i] == f).ToArray();
            var (factor, halfWidth) = Select(features, targets, groups, train, yesNo, options, $"value-inner-{f}");
            var (scale, weights) = FitOn(features, targets, train, factor, yesNo);
            foldModels.Add((test, scale, weights));
            var truth = test.Select(i => targets[i]).ToArray();
            var predicted = test.Select(i => Output(weights.Predict(scale.Apply(features[i])), yesNo)).ToArray();
            for (int j = 0; j < test.Length; j++)
                heldOut[test[j]] = new HeldOutPrediction(test[j], f, truth[j], predicted[j], predicted[j] - halfWidth, predicted[j] + halfWidth);
            double trainMean = train.Average(i => targets[i]);
            var baseline = Enumerable.Repeat(trainMean, test.Length).ToArray();
            foreach (var i in test) baselineHeldOut[i] = trainMean;
            scores.Add(yesNo
                ? new FoldScore(f, test.Length, factor, ValueMetrics.Auc(truth, predicted), 0.5, ValueMetrics.LogLoss(truth, predicted), ValueMetrics.LogLoss(truth, baseline),
                    ValueMetrics.Spearman(truth, predicted), ValueMetrics.Accuracy(truth, predicted), ValueMetrics.Accuracy(truth, baseline), double.NaN, double.NaN)
                : new FoldScore(f, test.Length, factor, ValueMetrics.RSquared(truth, predicted), ValueMetrics.RSquared(truth, baseline),
                    ValueMetrics.MeanAbsoluteError(truth, predicted), ValueMetrics.MeanAbsoluteError(truth, baseline), ValueMetrics.Spearman(truth, predicted),
                    double.NaN, double.NaN, halfWidth, truth.Select((t, j) => Math.Abs(t - predicted[j]) <= halfWidth ? 1.0 : 0.0).Average()));
        }

        progress?.Report("final model");
        var (finalFactor, finalHalfWidth) = Select(features, targets, groups, all, yesNo, options, "value-inner-final");
        var (finalScale, finalWeights) = FitOn(features, targets, all, finalFactor, yesNo);
        var importance = Importance(features, targets, descriptorCount, foldModels, finalWeights, yesNo, options);
        double domain = DomainDistance(features, finalScale, folds);

        var differences = scores.Select(s => s.Score - s.BaselineScore).Where(double.IsFinite).ToArray();
        var difference = Spread.Of(differences);
        bool beats = differences.Length >= 2 && difference.Mean - 2 * difference.StandardDeviation / Math.Sqrt(differences.Length) > 0;
        var score = Spread.Of(scores.Select(s => s.Score));
        var baselineScore = Spread.Of(scores.Select(s => s.BaselineScore));
        string name = yesNo ? "AUC" : "R²";
        string how = $"{k} folds{(grouped ? $" grouped by {model.Group}" : "")}";
        string verdict = beats
            ? $"better than the baseline: {name} {score.Format()} against {baselineScore.Mean:F3} for {(yesNo ? "scoring every work alike" : "predicting the mean")} ({how})."
            : $"no better than the baseline: {name} {score.Format()} is within noise of {(yesNo ? "scoring every work alike" : "predicting the mean")} ({baselineScore.Mean:F3}; {how}). The model has learned nothing it can show; do not use its predictions.";
        double coverage = yesNo ? double.NaN : heldOut.Average(h => h.Truth >= h.Lower && h.Truth <= h.Upper ? 1.0 : 0.0);
        var report = new ValueReport(model.Task, model.Target, model.Log, model.Group, n, groupCount, k, model.Features, scores,
            score, baselineScore, Spread.Of(scores.Select(s => s.Error)), Spread.Of(scores.Select(s => s.BaselineError)), Spread.Of(scores.Select(s => s.Spearman)),
            yesNo ? ValueMetrics.Auc(targets, heldOut.Select(h => h.Predicted).ToArray()) : ValueMetrics.RSquared(targets, heldOut.Select(h => h.Predicted).ToArray()),
            yesNo ? 0.5 : ValueMetrics.RSquared(targets, baselineHeldOut),
            yesNo ? double.NaN : options.Coverage, coverage, beats, verdict, importance);

        var fitted = model with
        {
            Means = finalScale.Means,
            Scales = finalScale.Scales,
            Intercept = finalWeights.Intercept,
            Weights = finalWeights.Weights,
            Regularisation = finalFactor,
            Coverage = yesNo ? double.NaN : options.Coverage,
            IntervalHalfWidth = yesNo ? double.NaN : finalHalfWidth,
            DomainDistance = domain,
            TrainingRows = n,
            Validation = report,
        };
        return new ValueFit(fitted, report, heldOut);
    }

    /// <summary>The prediction on the fitted scale: the linear value, or the probability of yes.</summary>
    internal static double Output(double linear, bool yesNo) => yesNo ? LinearFit.Sigmoid(linear) : linear;

    /// <summary>
    /// Inner cross-validation on <paramref name="rows"/>: the regularisation factor with the least out-of-fold error
    /// (ties to the stronger), and the conformal half-width at it: the ⌈(m+1)(1−α)⌉-th smallest of the m absolute residuals.
    /// </summary>
    private static (double Factor, double HalfWidth) Select(double[][] features, IReadOnlyList<double> targets, IReadOnlyList<string?> groups,
        int[] rows, bool yesNo, ValueFitOptions options, string stream)
    {
        int k = ValueFolds.Count(rows, groups, options.Folds);
        if (k < 2) return (1, double.PositiveInfinity);
        var folds = ValueFolds.Assign(rows, targets, groups, k, yesNo, options.Seed, stream);
        var grid = LinearFit.Grid.OrderByDescending(g => g).ToArray(); // strong to weak: the logistic fits start from the last
        var predictions = new double[grid.Length][];
        for (int g = 0; g < grid.Length; g++) predictions[g] = new double[rows.Length];
        for (int f = 0; f < k; f++)
        {
            var train = rows.Where((_, p) => folds[p] != f).ToArray();
            var testPositions = Enumerable.Range(0, rows.Length).Where(p => folds[p] == f).ToArray();
            var scale = Standardiser.Of(features, train);
            var fit = new LinearFit(scale.Matrix(features, train), train.Select(i => targets[i]).ToArray());
            var test = testPositions.Select(p => scale.Apply(features[rows[p]])).ToArray();
            for (int g = 0; g < grid.Length; g++)
            {
                var weights = yesNo ? fit.Logistic(grid[g]) : fit.Ridge(grid[g]);
                for (int t = 0; t < testPositions.Length; t++) predictions[g][testPositions[t]] = Output(weights.Predict(test[t]), yesNo);
            }
        }
        var truth = rows.Select(i => targets[i]).ToArray();
        int best = 0;
        double bestError = double.PositiveInfinity;
        for (int g = 0; g < grid.Length; g++)
        {
            double error = yesNo ? ValueMetrics.LogLoss(truth, predictions[g]) : truth.Select((t, i) => (t - predictions[g][i]) * (t - predictions[g][i])).Average();
            if (g == 0 || error < bestError * (1 - 1e-12)) (best, bestError) = (g, error);
        }
        if (yesNo) return (grid[best], double.NaN);
        var residuals = truth.Select((t, i) => Math.Abs(t - predictions[best][i])).Order().ToArray();
        int rank = (int)Math.Ceiling((residuals.Length + 1) * options.Coverage);
        return (grid[best], rank > residuals.Length ? double.PositiveInfinity : residuals[rank - 1]);
    }

    private static (Standardiser Scale, LinearWeights Weights) FitOn(double[][] features, IReadOnlyList<double> targets, int[] rows, double factor, bool yesNo)
    {
        var scale = Standardiser.Of(features, rows);
        var fit = new LinearFit(scale.Matrix(features, rows), rows.Select(i => targets[i]).ToArray());
        if (!yesNo) return (scale, fit.Ridge(factor));
        // Newton from zero can be slow at weak regularisation: walk the grid down to the factor.
        LinearWeights weights = fit.Logistic(LinearFit.Grid.Max());
        foreach (var g in LinearFit.Grid.Where(g => g >= factor).OrderByDescending(g => g).Skip(1)) weights = fit.Logistic(g);
        return (scale, weights);
    }

    /// <summary>Permutation importance of each descriptor on the outer held-out folds, with the final model's weights.</summary>
    private static DescriptorImportance[] Importance(double[][] features, IReadOnlyList<double> targets, int descriptorCount,
        List<(int[] Test, Standardiser Scale, LinearWeights Weights)> foldModels, LinearWeights final, bool yesNo, ValueFitOptions options)
    {
        var result = new List<DescriptorImportance>();
        for (int d = 0; d < descriptorCount; d++)
        {
            var random = Platform.SplitMix64.For(options.Seed, $"value-permutation-{d}");
            double increase = 0;
            int count = 0;
            foreach (var (test, scale, weights) in foldModels)
            {
                var truth = test.Select(i => targets[i]).ToArray();
                double before = Error(test.Select(i => features[i]).ToArray());
                for (int repeat = 0; repeat < options.PermutationRepeats; repeat++)
                {
                    var column = test.Select(i => features[i][d]).ToArray();
                    for (int i = column.Length - 1; i > 0; i--)
                    {
                        int j = random.Next(0, i + 1);
                        (column[i], column[j]) = (column[j], column[i]);
                    }
                    var permuted = test.Select((i, t) =>
                    {
                        var row = (double[])features[i].Clone();
                        row[d] = column[t];
                        return row;
                    }).ToArray();
                    increase += Error(permuted) - before;
                    count++;
                }

                double Error(double[][] rows)
                {
                    var predicted = rows.Select(r => Output(weights.Predict(scale.Apply(r)), yesNo)).ToArray();
                    return yesNo ? ValueMetrics.LogLoss(truth, predicted) : truth.Select((t, i) => (t - predicted[i]) * (t - predicted[i])).Average();
                }
            }
            var name = ImageDescriptors.Names[d];
            result.Add(new DescriptorImportance(name, ImageDescriptors.Meanings[name], increase / count, final.Weights[d]));
        }
        return result.OrderByDescending(r => r.ErrorIncrease).ToArray();
    }

    /// <summary>
    /// The largest distance from a work to its nearest work in another fold (standardised features, RMS over
    /// features): a new image farther than this from every training work is outside what validation saw.
    /// </summary>
    private static double DomainDistance(double[][] features, Standardiser scale, int[] folds)
    {
        var standardised = features.Select(scale.Apply).ToArray();
        double largest = 0;
        for (int i = 0; i < standardised.Length; i++)
        {
            double nearest = double.PositiveInfinity;
            for (int j = 0; j < standardised.Length; j++)
                if (folds[j] != folds[i]) nearest = Math.Min(nearest, Standardiser.Distance(standardised[i], standardised[j]));
            if (double.IsFinite(nearest)) largest = Math.Max(largest, nearest);
        }
        return largest;
    }
}

/// <summary>
/// Per-feature mean and standard deviation of training rows (a constant feature keeps scale 1). Standardised values
/// are clipped to ±<see cref="Clip"/>: a ResNet channel that is almost always zero has a tiny deviation, and one new
/// picture that lights it would otherwise move a linear prediction (and a distance) without bound.
/// </summary>
internal sealed record Standardiser(double[] Means, double[] Scales)
{
    public const double Clip = 5;

    public static Standardiser Of(double[][] features, IReadOnlyList<int> rows)
    {
        int p = features[0].Length;
        var means = new double[p];
        var scales = new double[p];
        for (int j = 0; j < p; j++)
        {
            double mean = 0;
            foreach (var i in rows) mean += features[i][j];
            mean /= rows.Count;
            double variance = 0;
            foreach (var i in rows) variance += (features[i][j] - mean) * (features[i][j] - mean);
            double sd = Math.Sqrt(variance / rows.Count);
            means[j] = mean;
            scales[j] = sd > 1e-12 ? sd : 1;
        }
        return new Standardiser(means, scales);
    }

    public double[] Apply(double[] row)
    {
        var result = new double[row.Length];
        for (int j = 0; j < row.Length; j++) result[j] = Math.Clamp((row[j] - Means[j]) / Scales[j], -Clip, Clip);
        return result;
    }

    public Matrix<double> Matrix(double[][] features, IReadOnlyList<int> rows) =>
        Matrix<double>.Build.DenseOfRowArrays(rows.Select(i => Apply(features[i])));

    /// <summary>RMS difference of two standardised rows.</summary>
    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += (a[j] - b[j]) * (a[j] - b[j]);
        return Math.Sqrt(sum / a.Length);
    }
}

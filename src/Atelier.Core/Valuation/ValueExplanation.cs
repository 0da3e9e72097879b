using System.Globalization;
using System.Net;
using System.Text;
using Atelier.Imaging;
using Atelier.Models.Pretrained;
using ScottPlot;
using SkiaSharp;

namespace Atelier.Valuation;

/// <summary>
/// A value model explained in one folder readable without Atelier: report.html with the validation (per fold, against
/// the baseline, the verdict), the descriptors' permutation importance and weights as a chart, and for each image its
/// prediction, the descriptors' contributions (weight × standardised value) and a saliency sheet.
/// </summary>
public static class ValueExplanation
{
    public const string ReportFile = "report.html", ImportanceFile = "importance.png";

    /// <summary>Explains <paramref name="images"/> (name, upright picture) and writes the folder; returns what it found per image.</summary>
    public static IReadOnlyList<ImageExplanation> Write(string folder, ValueModel model, ValueFeatures features, IReadOnlyList<(string Name, SKBitmap Image)> images, ResNet18Network? network)
    {
        Directory.CreateDirectory(folder);
        var explained = new List<ImageExplanation>();
        var raw = images.Count == 0 ? [] : features.Of(images.Select(i => i.Image).ToArray());
        var scale = new Standardiser(model.Means, model.Scales);
        var predictions = model.Predict(raw);
        for (int i = 0; i < images.Count; i++)
        {
            var z = scale.Apply(raw[i]);
            var contributions = model.Descriptors.Select((d, j) => (d, model.Weights[j] * z[j])).OrderByDescending(c => Math.Abs(c.Item2)).ToArray();
            double networkPart = Enumerable.Range(model.Descriptors.Count, model.Means.Length - model.Descriptors.Count).Sum(j => model.Weights[j] * z[j]);
            string? sheetFile = null;
            if (network is not null)
            {
                var heat = ValueSaliency.Compute(model, network, images[i].Image);
                using var sheet = ValueSaliency.Sheet(images[i].Image, heat);
                sheetFile = $"saliency-{i + 1:D3}.png";
                AtomicFile.WriteAllBytes(Path.Combine(folder, sheetFile), ImageCodec.EncodePng(sheet, new Dictionary<string, string> { ["Comment"] = $"Atelier value-model saliency (gradient through ResNet18) of {images[i].Name}" }));
            }
            explained.Add(new ImageExplanation(images[i].Name, predictions[i], contributions, networkPart, sheetFile));
        }
        if (model.Validation is { Importance.Count: > 0 } validation) ImportanceChart(validation, Path.Combine(folder, ImportanceFile));
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFile), Html(model, explained));
        return explained;
    }

    private static void ImportanceChart(ValueReport report, string path)
    {
        var items = report.Importance.Reverse().ToArray(); // largest at the top
        using var plot = new Plot();
        var bars = plot.Add.Bars(items.Select(i => Math.Max(0, i.ErrorIncrease)).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, items.Length).Select(i => (double)i).ToArray(), items.Select(i => i.Name).ToArray());
        plot.Axes.Bottom.Label.Text = $"rise in held-out {(report.Task == ValueModel.Classification ? "log loss" : "squared error")} when shuffled";
        plot.Title("Permutation importance of the descriptors");
        plot.Axes.Margins(left: 0);
        using var image = SKBitmap.Decode(plot.GetImageBytes(720, 40 + 26 * items.Length, ImageFormat.Png));
        ImageCodec.SavePng(image, path, new Dictionary<string, string> { ["Comment"] = "Atelier value-model permutation importance" });
    }

    private static string Html(ValueModel model, List<ImageExplanation> images)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string F(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
        var report = model.Validation;
        bool yesNo = model.Task == ValueModel.Classification;
        var html = new StringBuilder();
        html.AppendLine("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Value model explained</title>");
        html.AppendLine("<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}.verdict{font-size:1.15em;padding:.6em;background:#f3f3f3}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>Value model of '{E(model.Target)}'</h1>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p>{E(yesNo ? "Logistic regression (yes/no)" : model.Log ? "Ridge regression on ln(value)" : "Ridge regression")} on {E(model.Features)} features of {model.TrainingRows} works from {E(model.Csv)}.</p>");
        if (report is not null)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"verdict\">Verdict: {E(report.Verdict)}</p>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<h2>Cross-validation ({report.Folds} folds{(report.GroupColumn is null ? " of works" : $", grouped by {E(report.GroupColumn)}: {report.Groups} groups")}; on {E(report.Scale)})</h2><table>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>fold</th><th>works</th><th>{report.ScoreName}</th><th>baseline</th><th>{report.ErrorName}</th><th>baseline</th>{(yesNo ? "" : "<th>interval ±</th><th>covered</th>")}</tr>");
            foreach (var f in report.PerFold)
                html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{f.Fold + 1}</td><td>{f.Rows}</td><td>{F(f.Score)}</td><td>{F(f.BaselineScore)}</td><td>{F(f.Error)}</td><td>{F(f.BaselineError)}</td>{(yesNo ? "" : $"<td>{F(f.IntervalHalfWidth)}</td><td>{F(100 * f.Coverage)}%</td>")}</tr>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>mean ± sd</th><th></th><th>{E(report.Score.Format())}</th><th>{E(report.BaselineScore.Format())}</th><th>{E(report.Error.Format())}</th><th>{E(report.BaselineError.Format())}</th>{(yesNo ? "" : "<th></th><th></th>")}</tr></table>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<p>Pooled over all held-out works: {report.ScoreName} {F(report.PooledScore)} (baseline {F(report.PooledBaselineScore)}).{(yesNo ? "" : $" The {F(100 * report.CoverageTarget)}% conformal intervals covered {F(100 * report.CoverageObserved)}% of the held-out works.")}</p>");
            if (report.Importance.Count > 0)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<h2>What the predictions depend on</h2><p><img src=\"{ImportanceFile}\" alt=\"permutation importance\"></p><table><tr><th>descriptor</th><th>importance</th><th>weight per sd</th><th>meaning</th></tr>");
                foreach (var d in report.Importance)
                    html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(d.Name)}</td><td>{F(d.ErrorIncrease)}</td><td>{F(d.Weight)}</td><td style=\"text-align:left\">{E(d.Meaning)}</td></tr>");
                html.AppendLine("</table>");
            }
        }
        if (images.Count > 0)
        {
            html.AppendLine("<h2>Images</h2>");
            foreach (var image in images)
            {
                var p = image.Prediction;
                string value = yesNo ? $"chance of {model.Target}: {F(100 * p.Value)}%" : $"{model.Target}: {F(p.Value)} (interval {F(p.Lower)} to {F(p.Upper)}, {F(100 * model.Coverage)}% coverage)";
                html.AppendLine(CultureInfo.InvariantCulture, $"<h3>{E(image.Name)}</h3><p>{E(value)}{(p.OutsideDomain ? " — <b>unlike every training work: a guess outside what validation saw</b>" : "")}</p>");
                if (image.SaliencyFile is not null)
                    html.AppendLine(CultureInfo.InvariantCulture, $"<p><img src=\"{image.SaliencyFile}\" alt=\"saliency\"><br>Right: where the ResNet18 part of the prediction is most sensitive (absolute gradient of the prediction through ResNet18, blurred; brighter is more).</p>");
                html.AppendLine(CultureInfo.InvariantCulture, $"<table><tr><th>part of the prediction{(model.Log ? " (on ln)" : yesNo ? " (log-odds)" : "")}</th><th>contribution</th></tr><tr><td>intercept (the training mean)</td><td>{F(model.Intercept)}</td></tr>");
                foreach (var (descriptor, contribution) in image.Contributions.Take(8))
                    html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(descriptor)}</td><td>{(contribution >= 0 ? "+" : "")}{F(contribution)}</td></tr>");
                if (model.Means.Length > model.Descriptors.Count)
                    html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>the 512 ResNet18 features together</td><td>{(image.NetworkContribution >= 0 ? "+" : "")}{F(image.NetworkContribution)}</td></tr>");
                html.AppendLine("</table>");
            }
        }
        html.AppendLine("<h2>What this can and cannot mean</h2><p>The model learned what the values in this CSV depend on among what is visible in the pictures. It knows nothing of provenance, condition, the market or the artist's standing beyond what the pictures show; a good score on the folds means it predicts these works' values, not that it judges art. Where the verdict says it is no better than the baseline, its predictions mean nothing.</p>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }
}

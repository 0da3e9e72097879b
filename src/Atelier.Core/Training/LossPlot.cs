using Atelier.Imaging;
using Atelier.Training.Log;
using ScottPlot;
using SkiaSharp;

namespace Atelier.Training;

/// <summary>
/// Draws losses and discriminator outputs from metrics.jsonl into one PNG, with a third panel of FID when the run was
/// evaluated during training (--eval-every). Rollbacks and stops are marked with vertical lines.
/// </summary>
public static class LossPlot
{
    public static void Write(string metricsFile, string pngPath, int width = 1000, int panelHeight = 360)
    {
        var history = MetricsHistory.Read(metricsFile);
        double[] steps = history.Steps.Select(r => (double)r.Step).ToArray();
        double[] Series(Func<StepRow, double> value) => Smooth(history.Steps.Select(value).ToArray(), Math.Max(1, steps.Length / 100));

        var losses = new Plot();
        losses.Title("Losses");
        losses.XLabel("step");
        AddLine(losses, steps, Series(r => r.LossD), "discriminator", Colors.FireBrick);
        AddLine(losses, steps, Series(r => r.LossG), "generator", Colors.SteelBlue);
        losses.ShowLegend();
        foreach (var e in history.Incidents) losses.Add.VerticalLine(e.Step, 1, Colors.Orange);
        // Only training's own FIDs share one network and protocol; `atelier evaluate` may have used others.
        var evaluations = history.Evaluations.Where(e => e.Source == EvaluationSource.Training && e.Fid is not null).ToList();

        var outputs = new Plot();
        outputs.Title("Discriminator outputs");
        outputs.XLabel("step");
        AddLine(outputs, steps, Series(r => r.RealScore), "D(x) on real", Colors.ForestGreen);
        AddLine(outputs, steps, Series(r => r.FakeScore), "D(G(z)) on generated", Colors.DarkOrange);
        outputs.Axes.SetLimitsY(0, 1);
        outputs.ShowLegend();

        var panels = new List<Plot> { losses, outputs };
        if (evaluations.Count > 0)
        {
            var fid = new Plot();
            fid.Title($"FID during training ({evaluations[^1].Network})");
            fid.XLabel("step");
            var xs = evaluations.Select(e => (double)e.Step).ToArray();
            var ys = evaluations.Select(e => e.Fid!.Value).ToArray();
            var line = fid.Add.Scatter(xs, ys);
            line.LegendText = "FID of the averaged generator";
            line.Color = Colors.Purple;
            fid.ShowLegend();
            panels.Add(fid);
        }
        var images = panels.Select(p => SKBitmap.Decode(p.GetImageBytes(width, panelHeight, ImageFormat.Png))).ToList();
        try
        {
            using var combined = new SKBitmap(width, panels.Count * panelHeight);
            using (var canvas = new SKCanvas(combined))
            {
                canvas.Clear(SKColors.White);
                for (int i = 0; i < images.Count; i++) canvas.DrawBitmap(images[i], 0, i * panelHeight);
            }
            ImageCodec.SavePng(combined, pngPath, new Dictionary<string, string> { ["Comment"] = "Atelier training curves of run " + Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(metricsFile))) });
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        if (xs.Length == 0) return;
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 1.5f;
    }

    /// <summary>Centred moving average over 2·radius+1 points (NaNs ignored).</summary>
    internal static double[] Smooth(double[] values, int radius)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double sum = 0;
            int n = 0;
            for (int j = Math.Max(0, i - radius); j <= Math.Min(values.Length - 1, i + radius); j++)
            {
                if (double.IsFinite(values[j])) { sum += values[j]; n++; }
            }
            result[i] = n > 0 ? sum / n : double.NaN;
        }
        return result;
    }
}

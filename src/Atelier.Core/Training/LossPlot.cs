using Atelier.Imaging;
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
        var rows = MetricsLog.Read(metricsFile).Where(r => r["event"] is null && r["lossD"] is not null).ToList();
        var byStep = new SortedDictionary<long, System.Text.Json.Nodes.JsonObject>();
        foreach (var r in rows) byStep[r["step"]!.GetValue<long>()] = r; // a replayed step (after rollback) wins
        double[] steps = byStep.Keys.Select(k => (double)k).ToArray();
        double[] Series(string key) => Smooth(byStep.Values.Select(r => Value(r, key)).ToArray(), Math.Max(1, steps.Length / 100));

        var losses = new Plot();
        losses.Title("Losses");
        losses.XLabel("step");
        AddLine(losses, steps, Series("lossD"), "discriminator", Colors.FireBrick);
        AddLine(losses, steps, Series("lossG"), "generator", Colors.SteelBlue);
        losses.ShowLegend();
        var events = MetricsLog.Read(metricsFile).Where(r => r["event"] is not null && r["step"] is not null).ToList();
        foreach (var e in events.Where(e => (string?)e["event"] is not ("evaluation" or "evaluate")))
            losses.Add.VerticalLine(e["step"]!.GetValue<long>(), 1, Colors.Orange);
        var evaluations = events.Where(e => (string?)e["event"] == "evaluation" && e["fid"] is not null).ToList();

        var outputs = new Plot();
        outputs.Title("Discriminator outputs");
        outputs.XLabel("step");
        AddLine(outputs, steps, Series("dReal"), "D(x) on real", Colors.ForestGreen);
        AddLine(outputs, steps, Series("dFake"), "D(G(z)) on generated", Colors.DarkOrange);
        outputs.Axes.SetLimitsY(0, 1);
        outputs.ShowLegend();

        var panels = new List<Plot> { losses, outputs };
        if (evaluations.Count > 0)
        {
            var fid = new Plot();
            fid.Title($"FID during training ({evaluations[^1]["network"]})");
            fid.XLabel("step");
            var xs = evaluations.Select(e => (double)e["step"]!.GetValue<long>()).ToArray();
            var ys = evaluations.Select(e => Value(e, "fid")).ToArray();
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

    private static double Value(System.Text.Json.Nodes.JsonObject row, string key)
    {
        var node = row[key];
        if (node is null) return double.NaN;
        try
        {
            return node.GetValue<double>();
        }
        catch (InvalidOperationException)
        {
            return double.NaN;
        }
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

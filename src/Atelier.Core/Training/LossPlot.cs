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

        if (history.Steps.Count > 0 && history.Steps.All(r => r.Reconstruction is not null))
        {
            WriteAutoencoder(history, steps, Series, metricsFile, pngPath, width, panelHeight);
            return;
        }
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
        Save(panels, metricsFile, pngPath, width, panelHeight);
    }

    /// <summary>An autoencoder's curves: reconstruction as PSNR (dB, from the per-pixel MSE on −1..1) and, for a VAE, the KL term.</summary>
    private static void WriteAutoencoder(MetricsHistory history, double[] steps, Func<Func<StepRow, double>, double[]> series, string metricsFile, string pngPath, int width, int panelHeight)
    {
        var quality = new Plot();
        quality.Title("Reconstruction of training batches");
        quality.XLabel("step");
        quality.YLabel("PSNR (dB)");
        AddLine(quality, steps, series(r => Metrics.ReconstructionQuality.PsnrOfMse(r.Reconstruction!.Value)), "PSNR of the batch", Colors.SteelBlue);
        quality.ShowLegend();
        var panels = new List<Plot> { quality };
        if (history.Steps.Any(r => r.Kl is > 0))
        {
            var kl = new Plot();
            kl.Title("KL divergence of the posterior from the prior");
            kl.XLabel("step");
            kl.YLabel("nats per image");
            AddLine(kl, steps, series(r => r.Kl ?? double.NaN), "KL(q(z|x) || N(0, I))", Colors.FireBrick);
            kl.ShowLegend();
            panels.Add(kl);
        }
        foreach (var panel in panels)
            foreach (var e in history.Incidents) panel.Add.VerticalLine(e.Step, 1, Colors.Orange);
        Save(panels, metricsFile, pngPath, width, panelHeight);
    }

    private static void Save(List<Plot> panels, string metricsFile, string pngPath, int width, int panelHeight)
    {
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

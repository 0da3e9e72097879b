using System.Globalization;
using System.Net;
using System.Text;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Metrics;

/// <summary>The closest generated/training pairs side by side: a PNG sheet and an HTML page.</summary>
public static class CopyReport
{
    public const int Pairs = 24;

    /// <summary>Writes copies.png and copies.html into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Png, string Html) Write(string directory, CopyDetector.Result result, ImageSample training,
        ImageSample generated, long firstSeed, string protocol)
    {
        Directory.CreateDirectory(directory);
        var primary = result.Pixels ?? result.Features;
        var order = Enumerable.Range(0, generated.Count)
            .OrderBy(i => primary.Nearest[i] / Math.Max(primary.Threshold, 1e-12)).ThenBy(i => i).Take(Pairs).ToArray();
        int scale = Math.Max(1, 96 / Math.Max(training.Resolution, generated.Resolution));
        var tiles = new List<float>();
        var captions = new List<string>();
        void Add(ImageSample sample, int index, string caption)
        {
            var image = sample.Image(index);
            foreach (var b in image) tiles.Add(ImageCodec.ToUnit(b));
            captions.Add(caption);
        }
        bool sameShape = training.Channels == generated.Channels && training.Resolution == generated.Resolution;
        foreach (var i in order)
        {
            Add(generated, i, $"seed {firstSeed + i}{(primary.Flagged[i] ? " COPY?" : "")}");
            if (result.Pixels is { } p && sameShape) Add(training, p.NearestIndex[i], $"px {p.Nearest[i]:F3}");
            if (sameShape) Add(training, result.Features.NearestIndex[i], $"ft {result.Features.Nearest[i]:F2}");
        }
        int columns = captions.Count / order.Length;
        var png = Path.Combine(directory, "copies.png");
        using (var sheet = ImageGrid.Compose(tiles.ToArray(), captions.Count, generated.Channels, generated.Resolution, generated.Resolution,
                   new ImageGridOptions(Columns: columns * 2, Padding: 4, Scale: scale), captions))
        {
            // Two triples per row: [generated | nearest in pixels | nearest in features] ×2.
            ImageCodec.SavePng(sheet, png, new Dictionary<string, string> { ["Comment"] = "Atelier copy report: " + protocol });
        }
        var html = Path.Combine(directory, "copies.html");
        AtomicFile.WriteAllText(html, Html(result, training, generated, order, firstSeed, protocol, scale, sameShape));
        return (png, html);
    }

    private static string Html(CopyDetector.Result result, ImageSample training, ImageSample generated, int[] order, long firstSeed,
        string protocol, int scale, bool sameShape)
    {
        string Img(ImageSample sample, int index)
        {
            var floats = sample.Image(index).ToArray().Select(ImageCodec.ToUnit).ToArray();
            using var bitmap = ImageGrid.Compose(floats, 1, sample.Channels, sample.Resolution, sample.Resolution, new ImageGridOptions(Padding: 0, Scale: scale));
            return $"<img alt=\"\" src=\"data:image/png;base64,{Convert.ToBase64String(ImageCodec.EncodePng(bitmap))}\">";
        }
        string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Atelier copy report</title>")
          .Append("<style>body{font-family:sans-serif;margin:1.5rem;background:#181818;color:#eee}table{border-collapse:collapse}")
          .Append("td,th{padding:.3rem .6rem;border-bottom:1px solid #444;text-align:left}img{image-rendering:pixelated}.copy{color:#ff6b6b;font-weight:bold}</style></head><body>")
          .Append("<h1>Copy report</h1><p>").Append(WebUtility.HtmlEncode(protocol)).Append("</p><ul>");
        foreach (var space in new[] { result.Pixels, result.Features })
        {
            if (space is null) continue;
            sb.Append("<li>").Append(space.Name).Append(": ").Append((space.Score * 100).ToString("0.0", CultureInfo.InvariantCulture))
              .Append("% of generated images are closer to a training image than the 1st percentile of real-to-training distances (")
              .Append(F(space.Threshold)).Append(")</li>");
        }
        sb.Append("<li>baseline: ").Append(WebUtility.HtmlEncode(result.Baseline)).Append("</li>")
          .Append("<li>MiFID memorisation distance (mean smallest cosine distance): ").Append(F(result.CosineMemorisationDistance)).Append("</li></ul>")
          .Append("<table><tr><th>generated</th><th>nearest in pixels</th><th>nearest in features</th><th>seed</th><th>pixel distance</th><th>feature distance</th><th>verdict</th></tr>");
        foreach (var i in order)
        {
            bool flagged = (result.Pixels?.Flagged[i] ?? false) || result.Features.Flagged[i];
            sb.Append("<tr><td>").Append(Img(generated, i)).Append("</td><td>")
              .Append(result.Pixels is { } p && sameShape ? Img(training, p.NearestIndex[i]) + $"<br>training #{p.NearestIndex[i]}" : "—").Append("</td><td>")
              .Append(sameShape ? Img(training, result.Features.NearestIndex[i]) + $"<br>training #{result.Features.NearestIndex[i]}" : $"training #{result.Features.NearestIndex[i]}").Append("</td><td>")
              .Append(firstSeed + i).Append("</td><td>").Append(result.Pixels is { } q ? F(q.Nearest[i]) : "—").Append("</td><td>")
              .Append(F(result.Features.Nearest[i])).Append("</td><td").Append(flagged ? " class=\"copy\">likely copy" : ">new").Append("</td></tr>");
        }
        return sb.Append("</table></body></html>\n").ToString();
    }
}

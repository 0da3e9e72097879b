using System.Globalization;
using System.Net;
using System.Text;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Data;

/// <summary>audit.html (counts, histograms, modes, classes, duplicate groups with thumbnails) and duplicates.png.</summary>
public static class AuditReport
{
    private const int Thumb = 64, MaxGroups = 40, MaxPerGroup = 8;

    public static (string Html, string Png) Write(AuditResult audit, string directory)
    {
        Directory.CreateDirectory(directory);
        var groups = audit.ExactDuplicates.Select(g => ("exact", g)).Concat(audit.NearDuplicates.Select(g => ("near", g))).Take(MaxGroups).ToList();
        var png = Path.Combine(directory, "duplicates.png");
        using (var sheet = Sheet(audit, groups)) ImageCodec.SavePng(sheet, png, new Dictionary<string, string> { ["Comment"] = "Atelier dataset audit: duplicate groups of " + audit.Root });
        var html = Path.Combine(directory, "audit.html");
        AtomicFile.WriteAllText(html, Html(audit, groups));
        return (html, png);
    }

    /// <summary>Lines that a clean manifest holds: the kept images' relative paths, one per line.</summary>
    public static string Manifest(AuditResult audit) =>
        "# atelier clean manifest: paths relative to this file's folder; train with --data <this file>\n" +
        string.Join('\n', audit.Kept().Select(i => i.Path)) + "\n";

    private static SKBitmap Thumbnail(AuditResult audit, AuditedImage image)
    {
        using var bitmap = ImageCodec.Decode(Path.Combine(audit.Root, image.Path));
        return ImageCodec.Fit(bitmap, Thumb, Thumb, ImageFit.Letterbox, SKColors.White);
    }

    private static SKBitmap Sheet(AuditResult audit, List<(string Kind, IReadOnlyList<AuditedImage> Group)> groups)
    {
        int rows = Math.Max(1, groups.Count), pad = 4, caption = 16;
        SKBitmap? owned = null; // the recommended dispose pattern: freed here unless it reaches the caller
        try
        {
            var sheet = owned = new SKBitmap(pad + MaxPerGroup * (Thumb + pad), pad + rows * (Thumb + caption + pad));
            using var canvas = new SKCanvas(sheet);
            canvas.Clear(new SKColor(24, 24, 24));
            using var font = GridFont.Create(11);
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            if (groups.Count == 0) canvas.DrawText("no duplicates", pad, pad + 20, SKTextAlign.Left, font, paint);
            for (int r = 0; r < groups.Count; r++)
            {
                var (kind, group) = groups[r];
                int y = pad + r * (Thumb + caption + pad);
                canvas.DrawText($"{kind} duplicates: {group.Count} files", pad, y + 11, SKTextAlign.Left, font, paint);
                for (int c = 0; c < Math.Min(MaxPerGroup, group.Count); c++)
                {
                    using var thumb = Thumbnail(audit, group[c]);
                    canvas.DrawBitmap(thumb, pad + c * (Thumb + pad), y + caption);
                }
            }
            canvas.Flush();
            owned = null;
            return sheet;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static string Html(AuditResult audit, List<(string Kind, IReadOnlyList<AuditedImage> Group)> groups)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Atelier data audit</title><style>")
          .Append("body{font-family:sans-serif;margin:1.5rem;background:#181818;color:#eee}table{border-collapse:collapse;margin-bottom:1rem}")
          .Append("td,th{padding:.25rem .6rem;border-bottom:1px solid #444;text-align:left}.bar{background:#6aa0ff;height:.8rem}")
          .Append(".group{margin:.5rem 0}.group img{margin-right:4px;vertical-align:top}</style></head><body>")
          .Append("<h1>Data audit</h1><p>").Append(E(audit.Root)).Append("</p><table>");
        void Row(string k, string v) => sb.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>");
        Row("readable images", audit.Images.Count.ToString(CultureInfo.InvariantCulture));
        Row("unreadable files", audit.Unreadable.Count.ToString(CultureInfo.InvariantCulture));
        Row("exact duplicate groups", $"{audit.ExactDuplicates.Count} ({audit.ExactDuplicates.Sum(g => g.Count - 1)} extra files)");
        Row("near-duplicate groups", $"{audit.NearDuplicates.Count} (perceptual hash within {audit.Threshold} bits; {audit.NearDuplicates.Sum(g => g.Count - 1)} extra files)");
        Row("kept by --fix", audit.Kept().Count.ToString(CultureInfo.InvariantCulture));
        sb.Append("</table>");
        Histogram(sb, "Longer side (pixels)", audit.Images.Select(i => Bucket(Math.Max(i.Width, i.Height))));
        Histogram(sb, "Aspect ratio (width / height)", audit.Images.Select(i => AspectBucket((double)i.Width / i.Height)));
        Histogram(sb, "Colour mode", audit.Images.Select(i => i.Mode));
        if (audit.Classes().Count > 0) Histogram(sb, "Classes (subfolders)", audit.Images.Where(i => i.Class is not null).Select(i => i.Class!));
        if (audit.Unreadable.Count > 0)
        {
            sb.Append("<h2>Unreadable files</h2><table>");
            foreach (var u in audit.Unreadable) Row(u.Path, u.Reason);
            sb.Append("</table>");
        }
        sb.Append("<h2>Duplicate groups</h2>");
        if (groups.Count == 0) sb.Append("<p>none</p>");
        foreach (var (kind, group) in groups)
        {
            sb.Append("<div class=\"group\"><b>").Append(kind).Append("</b>: ");
            foreach (var image in group.Take(MaxPerGroup))
            {
#pragma warning disable CA2000 // disposed by the using at the end of each iteration; the analyser loses it in the builder chain
                using var thumb = Thumbnail(audit, image);
#pragma warning restore CA2000
                sb.Append("<img alt=\"").Append(E(image.Path)).Append("\" title=\"").Append(E(image.Path)).Append("\" src=\"data:image/png;base64,")
                  .Append(Convert.ToBase64String(ImageCodec.EncodePng(thumb))).Append("\">");
            }
            sb.Append("<br><small>").Append(E(string.Join(", ", group.Select(i => i.Path)))).Append("</small></div>");
        }
        return sb.Append("</body></html>\n").ToString();
    }

    private static void Histogram(StringBuilder sb, string title, IEnumerable<string> values)
    {
        var counts = values.GroupBy(v => v).Select(g => (g.Key, Count: g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        int max = Math.Max(1, counts.Count == 0 ? 1 : counts.Max(c => c.Count));
        sb.Append("<h2>").Append(WebUtility.HtmlEncode(title)).Append("</h2><table>");
        foreach (var (key, count) in counts)
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(key)).Append("</td><td>").Append(count)
              .Append("</td><td style=\"width:20rem\"><div class=\"bar\" style=\"width:").Append(100 * count / max).Append("%\"></div></td></tr>");
        sb.Append("</table>");
    }

    private static string Bucket(int side) => side switch
    {
        < 64 => "a: under 64",
        < 128 => "b: 64-127",
        < 256 => "c: 128-255",
        < 512 => "d: 256-511",
        < 1024 => "e: 512-1023",
        _ => "f: 1024 and over",
    };

    private static string AspectBucket(double ratio) => ratio switch
    {
        < 0.6 => "a: tall (under 0.6)",
        < 0.9 => "b: portrait (0.6-0.9)",
        <= 1.1 => "c: square (0.9-1.1)",
        <= 1.7 => "d: landscape (1.1-1.7)",
        _ => "e: wide (over 1.7)",
    };
}

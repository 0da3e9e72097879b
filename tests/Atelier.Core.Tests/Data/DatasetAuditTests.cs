using Atelier.Data;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Core.Tests.Data;

public class DatasetAuditTests
{
    private static SKBitmap Pattern(int seed, int width = 40, int height = 30, int brighten = 0)
    {
        var random = new Random(seed);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        for (int i = 0; i < 6; i++)
        {
            using var paint = new SKPaint { Color = new SKColor((byte)Math.Min(255, random.Next(200) + brighten), (byte)random.Next(256), (byte)random.Next(256)) };
            canvas.DrawRect(random.Next(width), random.Next(height), 4 + random.Next(width / 2), 4 + random.Next(height / 2), paint);
        }
        canvas.Flush();
        return bitmap;
    }

    [Fact]
    public void FindsPlantedExactAndNearDuplicatesAndSkipsUnreadableFiles()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("cats"));
        Directory.CreateDirectory(temp.File("dogs"));
        for (int i = 0; i < 6; i++)
        {
            using var b = Pattern(i);
            TestImages.WritePng(temp.File(Path.Combine(i < 3 ? "cats" : "dogs", $"img{i}.png")), b);
        }
        File.Copy(temp.File("cats/img0.png"), temp.File("dogs/copy-of-0.png")); // exact duplicate
        using (var original = Pattern(4))
        using (var resized = ImageCodec.Fit(original, 80, 60, ImageFit.Stretch, SKColors.White))
            TestImages.WriteEncoded(temp.File("dogs/img4-large.jpg"), resized, SKEncodedImageFormat.Jpeg); // near duplicate of img4
        File.WriteAllText(temp.File("cats/broken.png"), "not an image");
        File.WriteAllBytes(temp.File("dogs/truncated.png"), File.ReadAllBytes(temp.File("cats/img1.png"))[..40]);

        var audit = DatasetAudit.Run(temp.Path);
        Assert.Equal(8, audit.Images.Count);
        Assert.Equal(["cats/broken.png", "dogs/truncated.png"], audit.Unreadable.Select(u => u.Path).Order(StringComparer.Ordinal));
        var exact = Assert.Single(audit.ExactDuplicates);
        Assert.Equal(["cats/img0.png", "dogs/copy-of-0.png"], exact.Select(i => i.Path).Order(StringComparer.Ordinal));
        var near = Assert.Single(audit.NearDuplicates);
        Assert.Equal(["dogs/img4-large.jpg", "dogs/img4.png"], near.Select(i => i.Path).Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["cats"] = 3, ["dogs"] = 5 }, audit.Classes());
        Assert.All(audit.Images, i => Assert.Equal("RGB", i.Mode));
        Assert.Equal(6, audit.Kept().Count);
        Assert.DoesNotContain(audit.Kept(), i => i.Path is "dogs/copy-of-0.png" or "dogs/img4.png");

        var (html, png) = AuditReport.Write(audit, temp.File("report"));
        Assert.Contains("copy-of-0.png", File.ReadAllText(html));
        using (var sheet = ImageCodec.Decode(png)) Assert.True(sheet.Height > 64);
        // The manifest trains on the kept images only; nothing was deleted.
        var manifest = temp.File("atelier-clean.txt");
        File.WriteAllText(manifest, AuditReport.Manifest(audit));
        using var home = new TempFolder();
        var set = new DatasetResolver(new Atelier.Platform.AtelierPaths(home.Path)).Open(new DatasetRequest(manifest, 16));
        Assert.Equal(6, set.Count);
        Assert.True(File.Exists(temp.File("dogs/copy-of-0.png")));
    }

    [Fact]
    public void DifferentImagesAreNotNearDuplicates()
    {
        using var a = Pattern(10);
        using var b = Pattern(11);
        int distance = DatasetAudit.HashDistance(DatasetAudit.DifferenceHash(a), DatasetAudit.DifferenceHash(b));
        Assert.True(distance > DatasetAudit.DefaultThreshold, $"distance {distance}");
        Assert.Equal(0, DatasetAudit.HashDistance(DatasetAudit.DifferenceHash(a), DatasetAudit.DifferenceHash(a)));
    }

    [Fact]
    public void LinksInsideTheFolderAreDuplicatesAndLinksOutsideAreReported()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("art/birds"));
        Directory.CreateDirectory(temp.File("outside"));
        using (var b = Pattern(1)) TestImages.WritePng(temp.File("art/penguin.png"), b);
        using (var b = Pattern(2)) TestImages.WritePng(temp.File("outside/secret.png"), b);
        File.CreateSymbolicLink(temp.File("art/birds/penguin.png"), "../penguin.png");
        File.CreateSymbolicLink(temp.File("art/escape.png"), temp.File("outside/secret.png"));
        var audit = DatasetAudit.Run(temp.File("art"));
        var group = Assert.Single(audit.ExactDuplicates);
        Assert.Equal(["birds/penguin.png", "penguin.png"], group.Select(i => i.Path));
        var skipped = Assert.Single(audit.Unreadable);
        Assert.Equal("escape.png", skipped.Path);
        // The audit's walk is training's (FolderWalk), and says it in the same words.
        Assert.Contains("outside the folder", skipped.Reason);
    }
}

using System.Text.Json;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Cli.Tests;

public sealed class ArtCommandTests
{
    private static void WriteImage(string path, SKColor colour, int size = 20)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(colour);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = new SKColor((byte)(255 - colour.Red), colour.Blue, colour.Green) })
            canvas.DrawRect(colour.Red % 10, colour.Green % 10, 8, 8, paint);
        File.WriteAllBytes(path, ImageCodec.EncodePng(bitmap));
    }

    [Fact]
    public void AuditWritesItsReportAndACleanManifestThatTrainingAccepts()
    {
        using var cli = new CliHarness();
        var folder = cli.PathOf("art");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 6; i++) WriteImage(Path.Combine(folder, $"a{i}.png"), new SKColor((byte)(40 * i), (byte)(200 - 30 * i), (byte)(17 * i)));
        File.Copy(Path.Combine(folder, "a1.png"), Path.Combine(folder, "dup.png"));
        File.WriteAllText(Path.Combine(folder, "notes.png"), "not an image");
        var (code, output, error) = cli.Run("data", "audit", folder, "--out", cli.PathOf("audit"), "--fix");
        Assert.True(code == 0, error + output);
        Assert.Contains("exact duplicate groups", output);
        Assert.Contains("1 (1 extra files)", output);
        Assert.Contains("unreadable: notes.png", error);
        Assert.True(File.Exists(cli.PathOf("audit/audit.html")));
        Assert.True(File.Exists(cli.PathOf("audit/duplicates.png")));
        var manifest = Path.Combine(folder, "atelier-clean.txt");
        Assert.Equal(6, File.ReadAllLines(manifest).Count(l => !l.StartsWith('#')));
        Assert.True(File.Exists(Path.Combine(folder, "dup.png")), "audit must never delete files");

        // Training on the folder warns about the duplicate; training on the manifest does not.
        var (c1, _, e1) = cli.Run("train", "--data", folder, "--resolution", "28", "--steps", "1", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "4", "--out", cli.PathOf("r1"), "--quiet", "--sample-every", "0", "--threads", "1");
        Assert.Equal(0, c1);
        Assert.Contains("repeat another image exactly", e1);
        var (c2, o2, e2) = cli.Run("train", "--data", manifest, "--resolution", "28", "--steps", "1", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "4", "--out", cli.PathOf("r2"), "--quiet", "--sample-every", "0", "--threads", "1");
        Assert.True(c2 == 0, e2 + o2);
        Assert.DoesNotContain("repeat another image", e2);
    }

    [Fact]
    public void PresetSetsItsRecipeAndExplicitFlagsWin()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("train", "--data", "procedural:rothko", "--preset", "small-art", "--batch-size", "8", "--steps", "2",
            "--generator-width", "4", "--discriminator-width", "4", "--latent-size", "4", "--out", cli.PathOf("run"), "--quiet", "--sample-every", "0", "--threads", "1");
        Assert.True(code == 0, error + output);
        using var json = JsonDocument.Parse(File.ReadAllText(cli.PathOf("run/options.json")));
        var o = json.RootElement;
        Assert.Equal("small-art", o.GetProperty("preset").GetString());
        Assert.Equal("hinge", o.GetProperty("objective").GetString());
        Assert.Equal("diffaugment", o.GetProperty("augment").GetString());
        Assert.Equal(8, o.GetProperty("batchSize").GetInt32()); // the flag, not the preset's 32
        Assert.Equal(64, o.GetProperty("model").GetProperty("resolution").GetInt32());
        Assert.True(o.GetProperty("model").GetProperty("spectralNorm").GetBoolean());
        Assert.Equal("none", o.GetProperty("model").GetProperty("discriminatorNormalization").GetString());
        var (bad, _, badError) = cli.Run("train", "--preset", "huge-art", "--steps", "1");
        Assert.Equal(2, bad);
        Assert.Contains("--preset: unknown preset 'huge-art'", badError);
    }

    [Fact]
    public void ConditionalRunGeneratesANamedClassCroppedToAnAspect()
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var (code, output, error) = cli.Run("train", "--data", "fashion-mnist", "--conditional", "--steps", "3", "--batch-size", "8", "--generator-width", "8",
            "--discriminator-width", "8", "--latent-size", "8", "--out", run, "--quiet", "--sample-every", "0", "--threads", "1");
        Assert.True(code == 0, error + output);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "options.json"))))
        {
            Assert.Equal(10, json.RootElement.GetProperty("model").GetProperty("classes").GetInt32());
            Assert.Equal("dress", json.RootElement.GetProperty("classNames")[3].GetString());
        }
        var grid = cli.PathOf("dresses.png");
        (code, output, error) = cli.Run("generate", "--run", run, "--seeds", "0-3", "--class", "dress", "--aspect", "2:1", "--grid", grid, "--columns", "4");
        Assert.True(code == 0, error + output);
        using (var bitmap = ImageCodec.Decode(grid))
        {
            // 4 cells of 28x14 (scale 2 below 48 px) with 2 px padding: width 2 + 4 * (56 + 2), height 2 + 28 + 2.
            Assert.Equal(2 + 4 * 58, bitmap.Width);
            Assert.Equal(2 + 28 + 2, bitmap.Height);
        }
        Assert.Contains("class 3", PngText.Read(File.ReadAllBytes(grid))["Atelier.image"]);
        (code, _, error) = cli.Run("generate", "--run", run, "--seeds", "0", "--class", "hat", "--grid", cli.PathOf("x.png"));
        Assert.Equal(2, code);
        Assert.Contains("--class: 'hat' is not a class of this model", error);
    }
}

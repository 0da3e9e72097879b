using System.Text.Json;
using Atelier.Imaging;
using Atelier.Sampling;
using SkiaSharp;

namespace Atelier.Cli.Tests;

public sealed class ProjectCommandTests
{
    private static string TinyRun(CliHarness cli, string name = "run", params string[] extra)
    {
        var run = cli.PathOf(name);
        var (code, output, error) = cli.Run(["train", "--data", "procedural:kandinsky", "--resolution", "32", "--steps", "4", "--batch-size", "4", "--generator-width", "8",
            "--discriminator-width", "4", "--latent-size", "8", "--out", run, "--quiet", "--sample-every", "0", "--threads", "1", .. extra]);
        Assert.True(code == 0, error + output);
        return run;
    }

    /// <summary>A tiny run and a picture it makes itself (seed <paramref name="seed"/>), which a projection can come close to.</summary>
    private static (string Run, string Picture) RunAndPicture(CliHarness cli, int seed)
    {
        var run = TinyRun(cli);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", cli.PathOf("seeds")).Code);
        return (run, cli.PathOf($"seeds/seed{seed:D4}.png"));
    }

    private static float[] Pixels(string png)
    {
        using var bitmap = ImageCodec.Decode(png);
        var bytes = new byte[3 * bitmap.Width * bitmap.Height];
        ImageCodec.ToBytes(bitmap, 3, bytes);
        return bytes.Select(ImageCodec.ToUnit).ToArray();
    }

    private static double Psnr(float[] a, float[] b) => 10 * Math.Log10(4.0 / a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average());

    [Fact]
    public void ProjectionsAreCloseWrittenWithTheirLatentsAndReproduce()
    {
        using var cli = new CliHarness();
        var (run, picture) = RunAndPicture(cli, 7);
        var folder = cli.PathOf("projection");
        string[] args = ["project", "--run", run, "--image", picture, "--out", folder, "--steps", "60", "--restarts", "3", "--keep", "2",
            "--encoder-steps", "40", "--variations", "4", "--frames", "3", "--to-seed", "2", "--threads", "1"];
        var (code, output, error) = cli.Run(args);
        Assert.True(code == 0, error + output);
        Assert.Contains("training the latent encoder", output);
        foreach (var name in new[] { "target.png", "projection-1.png", "projection-2.png", "projection-1.latent.json", "projection-2.latent.json", "comparison.png", "variations.png", "walk.gif" })
            Assert.True(File.Exists(Path.Combine(folder, name)), name + "\n" + output);
        Assert.False(File.Exists(Path.Combine(folder, "projection-3.png")));

        // Closer to the picture than a seed's image; the first is the best.
        var target = Pixels(Path.Combine(folder, "target.png"));
        Assert.Equal(Pixels(picture), target);
        double best = Psnr(Pixels(Path.Combine(folder, "projection-1.png")), target);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "0-3", "--out", cli.PathOf("others")).Code);
        double other = Enumerable.Range(0, 4).Max(s => Psnr(Pixels(cli.PathOf($"others/seed000{s}.png")), target));
        Assert.True(best > other + 3, $"projection {best:F1} dB, best other seed {other:F1} dB");
        var first = LatentFile.Load(Path.Combine(folder, "projection-1.latent.json"));
        var second = LatentFile.Load(Path.Combine(folder, "projection-2.latent.json"));
        Assert.True(first.Loss <= second.Loss);
        Assert.Equal(8, first.Values.Length);
        var text = PngText.Read(File.ReadAllBytes(Path.Combine(folder, "projection-1.png")));
        Assert.Equal(text["Atelier.weights"], first.Weights);
        Assert.Equal(Stylization.StyleInputFile.Hash(picture), first.SourceSha256);

        // generate --latent draws the same image; the PNGs reproduce from their recipes alone.
        Assert.Equal(0, cli.Run("generate", "--run", run, "--latent", Path.Combine(folder, "projection-1.latent.json"), "--out", cli.PathOf("again")).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "projection-1.png")), File.ReadAllBytes(cli.PathOf("again/seed0000-latent.png")));
        foreach (var name in new[] { "projection-1.png", "variations.png" })
        {
            (code, output, error) = cli.Run("reproduce", Path.Combine(folder, name), "--runs", cli.Folder);
            Assert.True(code == 0 && output.Contains("identical", StringComparison.Ordinal), name + ": " + error + output);
        }
        // Variations move away from the projection, a little.
        Assert.Equal(0, cli.Run("generate", "--run", run, "--latent", Path.Combine(folder, "projection-1.latent.json"), "--variation", "0:0.5", "--seeds", "1", "--out", cli.PathOf("varied")).Code);
        Assert.NotEqual(File.ReadAllBytes(cli.PathOf("again/seed0000-latent.png")), File.ReadAllBytes(cli.PathOf("varied/seed0001-latent-var0=0.5.png")));

        // The second projection into the run takes the cached encoder, and gives the same bytes.
        var cached = Directory.GetFiles(Path.Combine(run, "projection"), "encoder-*.safetensors");
        Assert.Single(cached);
        (code, output, error) = cli.Run([.. args.Select(a => a == folder ? cli.PathOf("projection-again") : a)]);
        Assert.True(code == 0, error + output);
        Assert.DoesNotContain("training the latent encoder", output);
        foreach (var name in new[] { "projection-1.png", "projection-1.latent.json", "variations.png", "walk.gif" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, name)), File.ReadAllBytes(cli.PathOf("projection-again/" + name)));
    }

    [Fact]
    public void StrokesOnATransparentSheetMaskTheProjection()
    {
        using var cli = new CliHarness();
        var run = TinyRun(cli);
        var sketch = cli.PathOf("sketch.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(96, 96, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        using (var canvas = new SKCanvas(bitmap))
        using (var pen = new SKPaint { Color = new SKColor(20, 40, 160), StrokeWidth = 9, IsAntialias = true, Style = SKPaintStyle.Stroke })
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawCircle(48, 48, 24, pen);
            canvas.Flush();
            ImageCodec.SavePng(bitmap, sketch);
        }
        var folder = cli.PathOf("strokes");
        var (code, output, error) = cli.Run("project", "--run", run, "--image", sketch, "--mask", "strokes", "--mode", "optimize", "--steps", "10", "--restarts", "2",
            "--keep", "1", "--variations", "0", "--frames", "0", "--feature-weight", "0", "--out", folder, "--threads", "1");
        Assert.True(code == 0, error + output);
        Assert.False(File.Exists(Path.Combine(folder, "variations.png")));
        Assert.False(File.Exists(Path.Combine(folder, "walk.gif")));
        Assert.False(Directory.Exists(Path.Combine(run, "projection")), "optimize needs no encoder");
        // The mask is the ring (grown by a pixel): white on it, black in the middle and at the corners.
        using var mask = ImageCodec.Decode(Path.Combine(folder, "mask.png"));
        Assert.Equal(32, mask.Width);
        Assert.Equal(255, mask.GetPixel(16, 8).Red);
        Assert.Equal(0, mask.GetPixel(16, 16).Red);
        Assert.Equal(0, mask.GetPixel(1, 1).Red);
    }

    [Fact]
    public void BadInputsExitWithCodeTwoNameTheFlagAndWriteNothing()
    {
        using var cli = new CliHarness();
        var (run, picture) = RunAndPicture(cli, 1);
        var folder = cli.PathOf("out");
        File.WriteAllText(cli.PathOf("broken.png"), "not a picture");
        (string[] Args, string Message)[] cases =
        [
            (["--image", cli.PathOf("missing.png")], "--image: '"),
            (["--image", cli.PathOf("broken.png")], "broken.png"),
            (["--image", picture, "--mask", cli.PathOf("nomask.png")], "--mask: '"),
            (["--image", picture, "--keep", "5"], "--keep: 5 is outside 1..4"),
            (["--image", picture, "--mode", "guess"], "--mode"),
            (["--image", picture, "--steps", "0"], "--steps: 0 is outside"),
            (["--image", picture, "--spread", "0"], "--spread: 0 must be above 0"),
            (["--image", picture, "--frames", "1"], "--frames: 1 is outside 2..600"),
            (["--image", picture, "--pixel-weight", "0", "--edge-weight", "0", "--feature-weight", "0"], "at least one must be above 0"),
            (["--image", picture, "--mask", cli.PathOf("seeds")], "--mask: '"),
        ];
        foreach (var (extra, message) in cases)
        {
            var (code, _, error) = cli.Run(["project", "--run", run, "--out", folder, "--threads", "1", .. extra]);
            Assert.True(code == 2, string.Join(' ', extra) + ": exit " + code + " " + error);
            Assert.Contains(message, error);
            Assert.False(Directory.Exists(folder), string.Join(' ', extra) + " left " + folder);
        }
        // A black mask marks nothing.
        using (var black = new SKBitmap(8, 8))
        {
            black.Erase(SKColors.Black);
            ImageCodec.SavePng(black, cli.PathOf("black.png"));
        }
        var (blackCode, _, blackError) = cli.Run("project", "--run", run, "--out", folder, "--image", picture, "--mask", cli.PathOf("black.png"));
        Assert.Equal(2, blackCode);
        Assert.Contains("--mask: nothing in it is marked", blackError);
        Assert.False(Directory.Exists(folder));
        Assert.False(Directory.Exists(Path.Combine(run, "projection")));

        // A class-conditional run is refused.
        var conditional = cli.PathOf("conditional");
        var (trained, trainOut, trainError) = cli.Run("train", "--data", "fashion-mnist", "--conditional", "--steps", "1", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "4", "--out", conditional, "--quiet", "--sample-every", "0", "--threads", "1");
        Assert.True(trained == 0, trainError + trainOut);
        var (refused, _, refusal) = cli.Run("project", "--run", conditional, "--image", picture, "--out", folder);
        Assert.Equal(2, refused);
        Assert.Contains("class-conditional", refusal);
        Assert.False(Directory.Exists(folder));

        // generate --latent: a latent of the wrong size, or a file that is not one, is named.
        var latent = cli.PathOf("z.latent.json");
        new LatentFile(LatentFile.CurrentFormat, [1, 2, 3], null, null).Save(latent);
        var (wrong, _, wrongError) = cli.Run("generate", "--run", run, "--latent", latent, "--out", cli.PathOf("g"));
        Assert.Equal(2, wrong);
        Assert.Contains("has 3 values; this generator's latent has 8", wrongError);
        File.WriteAllText(latent, JsonSerializer.Serialize(new { format = "atelier-latent/0", values = new[] { 1 } }));
        (wrong, _, wrongError) = cli.Run("generate", "--run", run, "--latent", latent, "--out", cli.PathOf("g"));
        Assert.Equal(2, wrong);
        Assert.Contains("is not a latent file", wrongError);
        (wrong, _, wrongError) = cli.Run("generate", "--run", run, "--latent", latent, "--interpolate", "1,2", "--out", cli.PathOf("w.gif"));
        Assert.Equal(2, wrong);
        Assert.Contains("does not combine with --interpolate", wrongError);
        Assert.False(Directory.Exists(cli.PathOf("g")));
    }
}

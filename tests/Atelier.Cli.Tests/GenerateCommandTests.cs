using System.Buffers.Binary;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Cli.Tests;

/// <summary>generate as a new user meets it: names that say how a picture was made, no silent overwrite, a default folder, StyleGAN's flag names, enlargement, grey PNGs.</summary>
public sealed class GenerateCommandTests
{
    /// <summary>The PNG's IHDR colour type: 0 grey, 2 RGB, 6 RGBA.</summary>
    private static int ColourType(string png) => File.ReadAllBytes(png)[25];

    private static (int Width, int Height) Size(string png)
    {
        var bytes = File.ReadAllBytes(png);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void PicturesOfOneSeedMadeDifferentlyGetTheirOwnNamesAndNoneIsOverwrittenWithoutForce()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("run");
        var picks = cli.PathOf("picks");
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "7", "--out", picks).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "7", "--edit", "0:2.5,1:-1", "--out", picks).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "7", "--variation", "1:0.5", "--truncation", "0.7", "--out", picks).Code);
        Assert.Equal(["seed0007-edit0=2.5,1=-1.png", "seed0007-psi0.7-var1=0.5.png", "seed0007.png"],
            Directory.GetFiles(picks).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());

        // Again into the same folder: refused before anything is written; --force overwrites with the same bytes.
        var before = File.ReadAllBytes(Path.Combine(picks, "seed0007.png"));
        File.WriteAllText(Path.Combine(picks, "seed0007.png"), "mine");
        var (code, _, error) = cli.Run("generate", "--run", run, "--seeds", "6-8", "--out", picks);
        Assert.Equal(2, code);
        Assert.Contains("seed0007.png is already there; add --force to overwrite", error);
        Assert.False(File.Exists(Path.Combine(picks, "seed0006.png")), "a refused generate wrote seed 6");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(picks, "seed0007.png")));
        var grid = cli.PathOf("grid.png");
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", grid).Code);
        Assert.Equal(2, cli.Run("generate", "--run", run, "--seeds", "0-3", "--grid", grid).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "7", "--out", picks, "--force").Code);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(picks, "seed0007.png")));
    }

    [Fact]
    public void StyleGanFlagNamesWorkAndWithoutOutTheImagesGoToAFolderNamedAfterTheRun()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("kandinsky-run");
        var (code, output, error) = cli.Run("generate", "--network", run, "--seeds", "1,2", "--trunc", "0.5");
        Assert.True(code == 0, error);
        Assert.Contains("wrote 2 images to generated/kandinsky-run (seed0001-psi0.5.png, ...)", output);
        Assert.True(File.Exists(cli.PathOf("generated/kandinsky-run/seed0002-psi0.5.png")));
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "1", "--truncation", "0.5", "--outdir", cli.PathOf("same")).Code);
        Assert.Equal(File.ReadAllBytes(cli.PathOf("generated/kandinsky-run/seed0001-psi0.5.png")), File.ReadAllBytes(cli.PathOf("same/seed0001-psi0.5.png")));

        var (_, help, _) = cli.Run("generate", "--help");
        Assert.Contains("Examples:", help);
        Assert.Contains("atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 0-15 --grid grid.png", help);
        var (_, rootHelp, _) = cli.Run("--help");
        Assert.DoesNotContain("atelier train --resume", rootHelp);
    }

    [Fact]
    public void ScaleEnlargesEachPixelToASquareOrSmoothlyAndTheEnlargementReproduces()
    {
        using var cli = new CliHarness();
        var run = cli.TinyRun("run");
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3", "--out", cli.PathOf("x1")).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3", "--scale", "4", "--out", cli.PathOf("x4")).Code);
        Assert.Equal(0, cli.Run("generate", "--run", run, "--seeds", "3", "--scale", "4", "--scale-filter", "cubic", "--out", cli.PathOf("x4")).Code);
        var small = cli.PathOf("x1/seed0003.png");
        var nearest = cli.PathOf("x4/seed0003-x4.png");
        var cubic = cli.PathOf("x4/seed0003-x4cubic.png");
        Assert.Equal((128, 128), Size(nearest));
        Assert.Equal((128, 128), Size(cubic));
        using (var original = ImageCodec.Decode(small))
        using (var big = ImageCodec.Decode(nearest))
        using (var smooth = ImageCodec.Decode(cubic))
        {
            int different = 0;
            for (int y = 0; y < 128; y++)
                for (int x = 0; x < 128; x++)
                {
                    Assert.Equal(original.GetPixel(x / 4, y / 4), big.GetPixel(x, y));
                    if (smooth.GetPixel(x, y) != big.GetPixel(x, y)) different++;
                }
            Assert.True(different > 128 * 128 / 4, $"cubic differs from nearest in only {different} pixels");
        }
        foreach (var file in new[] { nearest, cubic })
        {
            var (code, output, error) = cli.Run("reproduce", file, "--run", run);
            Assert.True(code == 0, error);
            Assert.Contains("byte for byte", output);
        }
        var (tooBig, _, message) = cli.Run("generate", "--run", run, "--seeds", "3", "--scale", "17", "--out", cli.PathOf("x17"));
        Assert.Equal(2, tooBig);
        Assert.Contains("--scale: 17 is outside 1..16", message);
        var (badFilter, _, filterMessage) = cli.Run("generate", "--run", run, "--seeds", "3", "--scale", "2", "--scale-filter", "lanczos", "--out", cli.PathOf("x2"));
        Assert.Equal(2, badFilter);
        Assert.Contains("--scale-filter: 'lanczos' is not nearest or cubic", filterMessage);
        Assert.False(Directory.Exists(cli.PathOf("x17")) || Directory.Exists(cli.PathOf("x2")));
    }

    [Fact]
    public void AGreyModelsPicturesAreGreyPngsWithTheSamePixelsAndAColourModelsAreNot()
    {
        using var cli = new CliHarness();
        var grey = cli.TinyRun("grey", "--channels", "1");
        var colour = cli.TinyRun("colour");
        Assert.Equal(0, cli.Run("generate", "--run", grey, "--seeds", "0-3", "--grid", cli.PathOf("grey.png")).Code);
        Assert.Equal(0, cli.Run("generate", "--run", grey, "--seeds", "2", "--out", cli.PathOf("g")).Code);
        Assert.Equal(0, cli.Run("generate", "--run", colour, "--seeds", "2", "--out", cli.PathOf("c")).Code);
        Assert.Equal(0, ColourType(cli.PathOf("grey.png")));
        Assert.Equal(0, ColourType(cli.PathOf("g/seed0002.png")));
        Assert.NotEqual(0, ColourType(cli.PathOf("c/seed0002.png")));
        Assert.Equal(0, cli.Run("reproduce", cli.PathOf("g/seed0002.png"), "--run", grey).Code);

        // The grey PNG holds the generator's bytes: decoded, every pixel is (v, v, v, 255) with v the generator's value.
        using var generator = Atelier.Sampling.TrainedGenerator.Load(Atelier.Sampling.TrainedGenerator.ResolveCheckpoint(grey));
        var values = generator.Generate([2]);
        using var picture = ImageCodec.Decode(cli.PathOf("g/seed0002.png"));
        for (int i = 0; i < values.Length; i++)
        {
            byte v = ImageCodec.ToByte(values[i]);
            Assert.Equal(new SKColor(v, v, v, 255), picture.GetPixel(i % 32, i / 32));
        }
    }
}

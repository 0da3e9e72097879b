using System.Diagnostics;
using System.Security.Cryptography;
using Atelier.Imaging;
using Atelier.Runs;
using Atelier.Sampling;
using SkiaSharp;

namespace Atelier.Cli.Tests;

/// <summary>
/// Golden values (see <see cref="Golden"/>): for each configuration, `atelier train` for 30 steps and `atelier generate
/// --grid` run as fresh processes on one torch thread, and the test compares the averaged generator's weights and the
/// grid's pixels with the recorded ones. Through the command line, so the recipe (flags, presets, paper defaults,
/// resolution and flip rules) is pinned as well as the trainer, and in fresh processes, as a user runs them.
/// </summary>
public sealed class GoldenCommandTests
{
    private const string Procedural = "procedural:rothko";

    public static TheoryData<string, string, string[]> Configurations() => new()
    {
        { "dcgan32-non-saturating", Procedural, [] },
        { "dcgan28-non-saturating-grey", Procedural, ["--resolution", "28", "--channels", "1"] },
        { "dcgan64-small-art-diffaugment", Procedural, ["--preset", "small-art", "--resolution", "64"] },
        { "wgan-gp", Procedural, ["--objective", "wgan-gp"] },
        { "wgan-clip-rmsprop", Procedural, ["--objective", "wgan"] },
        { "feature-matching-minibatch", Procedural, ["--feature-matching", "--minibatch-discrimination", "--minibatch-kernels", "6", "--minibatch-kernel-size", "3"] },
        { "conditional", "classes", ["--conditional"] },
        { "can", "classes", ["--can"] },
        { "classic", Procedural, ["--model", "classic", "--resolution", "28", "--channels", "1"] },
        { "ada-r1-ttur-least-squares", Procedural, ["--objective", "least-squares", "--spectral-norm", "--critic-norm", "none", "--augment", "ada",
            "--ada-speed", "500", "--r1", "1", "--r1-every", "4", "--g-lr", "1e-4", "--d-lr", "4e-4"] },
        { "minimax-smoothing-history-vbn-d2", Procedural, ["--objective", "minimax", "--label-smoothing", "0.9", "--historical-averaging", "0.001",
            "--virtual-batchnorm", "--reference-batch-size", "8", "--d-steps", "2"] },
        { "letterboxed", "wide", ["--fit", "Letterbox"] },
        { "fashion-preset-lr-no-flip", Procedural, ["--preset", "fashion", "--lr", "3e-4", "--no-flip"] },
    };

    [GoldenTheory]
    [MemberData(nameof(Configurations))]
    public void Train_and_generate_give_the_recorded_weights_and_grid(string key, string data, string[] flags)
    {
        using var cli = new CliHarness();
        var run = cli.PathOf("run");
        var source = data switch
        {
            "classes" => ClassFolder(cli.PathOf("classes")),
            "wide" => WideFolder(cli.PathOf("wide")),
            _ => data,
        };
        string[] resolution = flags.Contains("--resolution") ? [] : ["--resolution", "32"];
        Atelier(cli, ["train", "--data", source, .. resolution, "--steps", "30", "--batch-size", "8", "--generator-width", "8",
            "--discriminator-width", "8", "--latent-size", "16", "--sample-every", "0", "--out", run, "--threads", "1", "--quiet", .. flags]);
        var grid = cli.PathOf("grid.png");
        Atelier(cli, ["generate", "--run", run, "--seeds", "0-8", "--grid", grid]);
        // Decoded to BGRA premultiplied (SkiaSharp's platform type, as the hashes were recorded) whatever the PNG's colour type: grey pictures are grey PNGs.
        using var codec = SKCodec.Create(grid);
        using var bitmap = SKBitmap.Decode(codec, new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        var pixels = Convert.ToHexStringLower(SHA256.HashData(bitmap.Bytes));
        using var generator = TrainedGenerator.Load(new RunFolder(run).Checkpoints.Latest()!);
        Assert.Equal(30, generator.Manifest.Step);
        Golden.Check(key, Golden.WeightsHash(generator.Network.state_dict()), pixels);
    }

    /// <summary>Runs `atelier` as a child process with its own ATELIER_HOME and one torch thread (OMP_NUM_THREADS as well).</summary>
    private static void Atelier(CliHarness cli, string[] args)
    {
        var start = Commands.StudioCommand.Launcher(typeof(CliApp).Assembly.Location)(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ATELIER_HOME"] = cli.PathOf("home");
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"atelier {string.Join(' ', args)}: exit {process.ExitCode}\n{output.Result}\n{error.Result}");
    }

    /// <summary>Two classes of 16 small pictures each: a bright square (class a) or a bar (class b) at a place set by the index.</summary>
    private static string ClassFolder(string root)
    {
        foreach (var (name, bar) in new[] { ("a", false), ("b", true) })
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int i = 0; i < 16; i++)
            {
                using var bitmap = new SKBitmap(new SKImageInfo(40, 40, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                for (int y = 0; y < 40; y++)
                    for (int x = 0; x < 40; x++)
                    {
                        int cx = 4 + (i * 7) % 28, cy = 4 + (i * 5) % 28;
                        bool on = bar ? Math.Abs(y - cy) < 3 : Math.Abs(x - cx) < 6 && Math.Abs(y - cy) < 6;
                        bitmap.SetPixel(x, y, on ? new SKColor((byte)(40 * i % 255), 200, bar ? (byte)60 : (byte)220) : new SKColor(20, 20, 30));
                    }
                File.WriteAllBytes(Path.Combine(root, name, $"{i:D2}.png"), ImageCodec.EncodePng(bitmap));
            }
        }
        return root;
    }

    /// <summary>Sixteen 48x30 pictures, so that letterboxing pads them.</summary>
    internal static string WideFolder(string root)
    {
        Directory.CreateDirectory(root);
        for (int i = 0; i < 16; i++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(48, 30, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < 48; x++)
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 5), (byte)(y * 8), (byte)(i * 15)));
            File.WriteAllBytes(Path.Combine(root, $"{i:D2}.png"), ImageCodec.EncodePng(bitmap));
        }
        return root;
    }
}

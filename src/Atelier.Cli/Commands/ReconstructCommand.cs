using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Metrics;
using Atelier.Platform;
using Atelier.Projection;
using Atelier.Sampling;
using Atelier.Stylization;
using Spectre.Console;
using static TorchSharp.torch;

namespace Atelier.Cli.Commands;

/// <summary>`atelier reconstruct`: an autoencoder run rebuilds images it did not train on, measured (PSNR, SSIM) or one by one.</summary>
internal static class ReconstructCommand
{
    public const int MaxImages = 64;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var run = CommonOptions.Run("An autoencoder or VAE run folder (or a checkpoint folder inside one).");
        var checkpoint = CommonOptions.Checkpoint();
        var data = new Option<string?>("--data") { Description = "Measure on this dataset, e.g. fashion-mnist:test (held-out images) or a folder: mean PSNR and SSIM over --n images." };
        var image = new Option<string[]>("--image") { Description = $"Or rebuild these pictures (up to {MaxImages}); each gets its reconstruction and latent file.", AllowMultipleArgumentsPerToken = true };
        var n = new Option<int>("--n") { Description = "Images measured from --data (its first n).", DefaultValueFactory = _ => 500 };
        var noise = new Option<double>("--noise") { Description = "Add Gaussian noise of this standard deviation (images in [-1, 1]) before encoding: the denoising test, scored against the clean image.", DefaultValueFactory = _ => 0 };
        var frames = new Option<int>("--frames") { Description = "With two or more --image: frames of a walk between the first two pictures' latents (interpolation.gif; 0: none).", DefaultValueFactory = _ => 30 };
        var output = new Option<string?>("--out") { Description = "Folder for the results (default: <run>/reconstructions)." };
        var seed = new Option<long>("--seed") { Description = "Seeds the --noise.", DefaultValueFactory = _ => 0 };
        var dataRoot = CommonOptions.DataRoot();
        var fit = CommonOptions.Fit();
        var threads = CommonOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("reconstruct", """
            Rebuild images with an autoencoder run (--model autoencoder or vae): decode(encode(x)). With --data, measure
            PSNR and SSIM over held-out images (report.json, comparison.png: originals above reconstructions); with
            --image, write each picture's reconstruction (its PNG carries the latent, so `reproduce` remakes it) and latent
            file (for `generate --latent`), and a walk between the first two.

            Examples:
              atelier reconstruct --run runs/00001-vae-fashion-mnist28 --data fashion-mnist:test --n 1000
              atelier reconstruct --run R --data fashion-mnist:test --noise 0.3
              atelier reconstruct --run R --image a.png b.png --frames 30 --out ab
            """)
        {
            run, checkpoint, data, image, n, noise, frames, output, seed, dataRoot, fit, threads, device,
        };
        command.SetAction(parse =>
        {
            var dataSpec = parse.GetValue(data);
            var images = parse.GetValue(image) ?? [];
            if ((dataSpec is null) == (images.Length == 0)) throw new UsageException("--data or --image: give one of them (a dataset to measure on, or pictures to rebuild).");
            if (images.Length > MaxImages) throw new UsageException($"--image: {images.Length} pictures; at most {MaxImages}.");
            foreach (var path in images)
                if (!File.Exists(path)) throw new UsageException($"--image: '{path}' does not exist.");
            int frameCount = parse.GetValue(frames);
            if (frameCount != 0 && frameCount is < 2 or > InterpolationGif.MaxFrames) throw new UsageException($"--frames: {frameCount} is outside 2..{InterpolationGif.MaxFrames} (or 0 for no walk).");
            int count = parse.GetValue(n);
            if (count is < 1 or > ReconstructionReport.MaxImages) throw new UsageException($"--n: {count} is outside 1..{ReconstructionReport.MaxImages}.");
            double sigma = parse.GetValue(noise);
            if (!(sigma >= 0 && sigma <= 10)) throw new UsageException($"--noise: {sigma} is outside 0..10.");
            var checkpointPath = TrainedGenerator.ResolveCheckpoint(parse.GetValue(run)!, parse.GetValue(checkpoint));
            var folder = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(checkpointPath))!, "reconstructions");
            if (File.Exists(folder)) throw new UsageException($"--out: '{folder}' is a file; give a folder for the results.");
            TorchRuntime.ConfigureThreads(parse.GetValue(threads));
            var target = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            using var model = TrainedAutoencoder.Load(checkpointPath, target);
            var m = model.Model;
            var watch = Stopwatch.StartNew();
            if (dataSpec is not null)
            {
                var source = new DatasetResolver(context.Paths, context.Warn).Open(new DatasetRequest(dataSpec, m.Resolution, m.Channels, parse.GetValue(dataRoot), parse.GetValue(fit)));
                var result = ReconstructionReport.Measure(model, source, count, sigma, parse.GetValue(seed));
                Directory.CreateDirectory(folder);
                using (var sheet = ReconstructionReport.Comparison(result, m))
                    AtomicFile.WriteAllBytes(Path.Combine(folder, "comparison.png"), ImageCodec.EncodePng(sheet, model.Generator.Provenance(
                        FormattableString.Invariant($"{result.Kept} images of {source.Name}{(sigma > 0 ? $" with noise {sigma}" : "")} and their reconstructions")), DigitalSource.CompositeWithTrainedAlgorithmicMedia));
                var report = new Dictionary<string, object?>
                {
                    ["data"] = source.Name, ["fingerprint"] = source.Fingerprint, ["n"] = result.Count, ["noise"] = sigma, ["seed"] = parse.GetValue(seed),
                    ["resolution"] = m.Resolution, ["channels"] = m.Channels,
                    ["psnr"] = new { mean = result.PsnrMean, std = result.PsnrStd }, ["ssim"] = new { mean = result.SsimMean, std = result.SsimStd },
                    ["protocol"] = "PSNR (peak 1) and SSIM (Wang 2004, 11x11 Gaussian window sigma 1.5, valid positions) of decode(encode(x)) against x on 0..1 pixels, per image; mean and sample std over the first n images",
                    ["checkpoint"] = checkpointPath, ["weights"] = model.Generator.WeightsId, ["encoder"] = EncoderId(model),
                };
                AtomicFile.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, Indented) + "\n");
                var table = new Table().AddColumn("data").AddColumn(new TableColumn("n").RightAligned()).AddColumn(new TableColumn("noise").RightAligned())
                    .AddColumn(new TableColumn("PSNR dB").RightAligned()).AddColumn(new TableColumn("SSIM").RightAligned());
                table.AddRow(Markup.Escape(source.Name), result.Count.ToString(CultureInfo.InvariantCulture), sigma.ToString("0.###", CultureInfo.InvariantCulture),
                    FormattableString.Invariant($"{result.PsnrMean:F2} ± {result.PsnrStd:F2}"), FormattableString.Invariant($"{result.SsimMean:F3} ± {result.SsimStd:F3}"));
                context.Console.Write(table);
                context.Console.MarkupLine(Markup.Escape(FormattableString.Invariant($"wrote {folder}: report.json, comparison.png ({watch.Elapsed.TotalSeconds:F1} s)")));
                return ExitCodes.Success;
            }
            WritePictures(model, images, folder, parse.GetValue(fit), frameCount);
            context.Console.MarkupLine(Markup.Escape(FormattableString.Invariant($"wrote {folder}: {images.Length} reconstruction(s), comparison.png{(images.Length >= 2 && frameCount > 0 ? ", interpolation.gif" : "")} ({watch.Elapsed.TotalSeconds:F1} s)")));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>"encoder.safetensors:sha256" of the checkpoint's encoder, as its (already verified) manifest records it.</summary>
    private static string EncoderId(TrainedAutoencoder model)
    {
        var file = Runs.CheckpointFiles.NameIn(model.Generator.Checkpoint, Runs.CheckpointFiles.Encoder);
        return file + ":" + model.Generator.Manifest.Files[file];
    }

    private static void WritePictures(TrainedAutoencoder model, string[] images, string folder, ImageFit fit, int frames)
    {
        var m = model.Model;
        var generator = model.Generator;
        Directory.CreateDirectory(folder);
        using var scope = NewDisposeScope();
        var pictures = cat(images.Select(p => ProjectionTarget.Load(p, m.Resolution, m.Channels, fit).Image).ToArray());
        var latents = model.Encode(pictures);
        var strip = new List<float>(pictures.contiguous().data<float>().ToArray());
        var used = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<float[]>();
        for (int i = 0; i < images.Length; i++)
        {
            var latent = latents[i].contiguous().data<float>().ToArray();
            kept.Add(latent);
            var stem = Path.GetFileNameWithoutExtension(images[i]);
            var name = used.Add(stem) ? stem : FormattableString.Invariant($"{stem}-{i + 1}");
            used.Add(name);
            var recipe = new GenerationRecipe(GenerationKind.SingleImage, "0", Latent: latent);
            AtomicFile.WriteAllBytes(Path.Combine(folder, name + "-reconstruction.png"), recipe.Render(generator));
            new LatentFile(LatentFile.CurrentFormat, latent, generator.WeightsId, $"encoding of {Path.GetFileName(images[i])} by the run's encoder", StyleInputFile.Hash(images[i]))
                .Save(Path.Combine(folder, name + ".latent.json"));
        }
        foreach (var latent in kept) strip.AddRange(generator.GenerateShaped([0], LatentShape.None, latent: latent));
        using (var sheet = ImageGrid.Compose(strip.ToArray(), 2 * images.Length, m.Channels, m.Resolution, m.Resolution,
            new ImageGridOptions(Columns: images.Length, Scale: m.Resolution < 48 ? 2 : 1)))
            AtomicFile.WriteAllBytes(Path.Combine(folder, "comparison.png"), ImageCodec.EncodePng(sheet, generator.Provenance($"{images.Length} picture(s) and their reconstructions"), DigitalSource.CompositeWithTrainedAlgorithmicMedia));
        if (images.Length >= 2 && frames > 0)
            AtomicFile.WriteAllBytes(Path.Combine(folder, "interpolation.gif"), InterpolationGif.Render(generator, kept[0], kept[1], frames));
    }
}

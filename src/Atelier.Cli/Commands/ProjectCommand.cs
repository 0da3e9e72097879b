using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Atelier.Imaging;
using Atelier.Models;
using Atelier.Models.Pretrained;
using Atelier.Platform;
using Atelier.Projection;
using Atelier.Sampling;
using Atelier.Stylization;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Cli.Commands;

/// <summary>`atelier project`: the latents of a trained run whose images are closest to a picture or sketch.</summary>
internal static class ProjectCommand
{
    public const int MaxVariations = 64;

    public static Command Create(CliContext context)
    {
        var defaults = new ProjectionOptions();
        var run = CommonOptions.Run();
        var checkpoint = CommonOptions.Checkpoint();
        var image = new Option<string>("--image") { Description = "The picture or sketch to project (PNG, JPEG, WebP, GIF, BMP); transparent parts count as white.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the results (created; files of the same names are replaced).", Required = true };
        var mask = new Option<string?>("--mask")
        {
            Description = "Match only part of the picture: 'strokes' (what was drawn: opaque pixels, or pixels unlike the border's colour) or a grey image, white where it must match.",
        };
        var mode = new Option<string>("--mode")
        {
            Description = $"{string.Join(", ", EnumText.Names<ProjectionMode>())}: encoder guess then Adam (iGAN's hybrid), the encoder's guess alone, or Adam from random starts.",
            DefaultValueFactory = _ => EnumText.Name(defaults.Mode),
        };
        var steps = new Option<int>("--steps") { Description = "Adam steps (StyleGAN2's projector schedule: warm-up, cosine decay, decaying latent noise).", DefaultValueFactory = _ => defaults.Steps };
        var restarts = new Option<int>("--restarts") { Description = "Latents optimised side by side; the best --keep are written.", DefaultValueFactory = _ => defaults.Restarts };
        var keep = new Option<int>("--keep") { Description = "How many of the best projections to write.", DefaultValueFactory = _ => 3 };
        var lr = new Option<double>("--lr") { Description = "Adam's peak step in latent units.", DefaultValueFactory = _ => defaults.LearningRate };
        var noise = new Option<double>("--noise") { Description = "Latent noise at the start, decaying to 0 at 75 % of the steps.", DefaultValueFactory = _ => defaults.NoiseStart };
        var pixelWeight = new Option<double>("--pixel-weight") { Description = "Weight of the pixel difference.", DefaultValueFactory = _ => defaults.PixelWeight };
        var edgeWeight = new Option<double>("--edge-weight") { Description = "Weight of the difference of edges (Sobel gradients of the luminance).", DefaultValueFactory = _ => defaults.EdgeWeight };
        var featureWeight = new Option<double>("--feature-weight") { Description = "Weight of the ResNet18 layer1-2 feature difference (0: the network is not loaded).", DefaultValueFactory = _ => defaults.FeatureWeight };
        var priorWeight = new Option<double>("--prior-weight") { Description = "Weight that keeps the latent where the model's latents live.", DefaultValueFactory = _ => defaults.PriorWeight };
        var variations = new Option<int>("--variations") { Description = "Variations around the best projection, as a grid (0: none).", DefaultValueFactory = _ => 8 };
        var spread = new Option<double>("--spread") { Description = "How far the variations go: the latent plus spread times a fresh draw.", DefaultValueFactory = _ => 0.5 };
        var toSeed = new Option<long>("--to-seed") { Description = "The walk GIF goes from the best projection to this seed's image.", DefaultValueFactory = _ => 0 };
        var frames = new Option<int>("--frames") { Description = "Frames of the walk GIF (0: no GIF).", DefaultValueFactory = _ => 30 };
        var encoderSteps = new Option<int>("--encoder-steps") { Description = "Training steps of the latent encoder (trained once per checkpoint, kept in <run>/projection/).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "Seeds the restarts, the latent noise and the encoder's training.", DefaultValueFactory = _ => 0 };
        var fit = CommonOptions.Fit();
        var noEma = new Option<bool>("--no-ema") { Description = "Project into the raw generator instead of its moving average." };
        var threads = CommonOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu or cuda: where the generator, encoder and ResNet18 run.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("project", """
            Find the latents of a trained run whose images are closest to a picture or a sketch (Zhu et al. 2016's hybrid:
            a latent encoder's first guess, then Adam under StyleGAN2's projector schedule; loss: pixels + Sobel edges +
            ResNet18 layer1-2 features). Writes the picture as the model sees it (target.png), the best projections
            (projection-1.png, with their latents in projection-1.latent.json for `generate --latent`), variations around
            the best (variations.png) and a walk from it to a seed (walk.gif). Every PNG carries its recipe.

            Examples:
              atelier project --run runs/00001-dcgan-kandinsky32 --image sketch.png --out sketch-projection
              atelier project --run R --image sketch.png --mask strokes --restarts 8 --out sketch-strokes
              atelier generate --run R --latent sketch-projection/projection-1.latent.json --variation 0:0.3 --seeds 1-16 --grid more.png
            """)
        {
            run, checkpoint, image, output, mask, mode, steps, restarts, keep, lr, noise, pixelWeight, edgeWeight, featureWeight, priorWeight,
            variations, spread, toSeed, frames, encoderSteps, seed, fit, noEma, threads, device,
        };
        command.SetAction(parse =>
        {
            var imagePath = parse.GetValue(image)!;
            if (!File.Exists(imagePath)) throw new UsageException($"--image: '{imagePath}' does not exist.");
            var maskText = parse.GetValue(mask);
            if (maskText is not null && maskText != "strokes" && !File.Exists(maskText))
                throw new UsageException($"--mask: '{maskText}' is neither 'strokes' nor an existing image file.");
            var folder = parse.GetValue(output)!;
            if (File.Exists(folder)) throw new UsageException($"--out: '{folder}' is a file; give a folder for the results.");
            var options = new ProjectionOptions(EnumText.Parse<ProjectionMode>(parse.GetValue(mode)!, "--mode", "projection mode"), parse.GetValue(steps), parse.GetValue(restarts),
                parse.GetValue(lr), parse.GetValue(noise), parse.GetValue(pixelWeight), parse.GetValue(edgeWeight), parse.GetValue(featureWeight), parse.GetValue(priorWeight),
                parse.GetValue(seed)).Validate();
            int found = options.Mode == ProjectionMode.Encoder ? 1 : options.Restarts;
            int keepCount = parse.GetValue(keep);
            if (keepCount < 1 || keepCount > found) throw new UsageException($"--keep: {keepCount} is outside 1..{found} (the projections this --mode and --restarts find).");
            int variationCount = parse.GetValue(variations);
            if (variationCount is < 0 or > MaxVariations) throw new UsageException($"--variations: {variationCount} is outside 0..{MaxVariations}.");
            double spreadValue = parse.GetValue(spread);
            if (!(spreadValue > 0 && spreadValue <= LatentShape.MaxSpread)) throw new UsageException($"--spread: {spreadValue} must be above 0 and at most {LatentShape.MaxSpread}.");
            int frameCount = parse.GetValue(frames);
            if (frameCount != 0 && frameCount is < 2 or > InterpolationGif.MaxFrames) throw new UsageException($"--frames: {frameCount} is outside 2..{InterpolationGif.MaxFrames} (or 0 for no walk).");
            int encoderStepCount = parse.GetValue(encoderSteps);
            if (encoderStepCount is < 1 or > EncoderCache.MaxSteps) throw new UsageException($"--encoder-steps: {encoderStepCount} is outside 1..{EncoderCache.MaxSteps}.");
            TorchRuntime.ConfigureThreads(parse.GetValue(threads));
            var target = TorchRuntime.ResolveDevice(parse.GetValue(device)!);

            var checkpointPath = TrainedGenerator.ResolveCheckpoint(parse.GetValue(run)!, parse.GetValue(checkpoint));
            using var generator = TrainedGenerator.Load(checkpointPath, useAverage: !parse.GetValue(noEma), device: target);
            if (generator.Network is IConditionalGenerator { Classes: > 0 })
                throw new UsageException($"--run: {checkpointPath} is class-conditional; projection needs an unconditional run (its latent alone decides the image).");
            var m = generator.Model;
            var watch = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var (picture, alpha) = ProjectionTarget.Load(imagePath, m.Resolution, m.Channels, parse.GetValue(fit));
            Tensor? weights = maskText switch
            {
                null => null,
                "strokes" => ProjectionTarget.Strokes(picture, alpha),
                _ => ProjectionTarget.LoadMask(maskText, m.Resolution),
            };
            if (weights is not null && weights.sum().item<float>() < 1)
                throw new UsageException($"--mask: nothing in it is marked for '{imagePath}' (all black, or no strokes unlike the background).");

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, args) =>
            {
                args.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            IReadOnlyList<ProjectedLatent> results;
            try
            {
                using var encoder = options.Mode == ProjectionMode.Optimize ? null
                    : EncoderCache.LoadOrTrain(generator, encoderStepCount, options.Seed, line => context.Console.WriteLine(line),
                        Reporter<(int Done, int Total, double Loss)>(context, p => (p.Done, p.Total, FormattableString.Invariant($"encoder: step {p.Done}/{p.Total}  latent error {p.Loss:F3}"))), cancel.Token);
                using var network = options.FeatureWeight > 0 && options.OptimizationSteps > 0 ? ResNet18Network.Load() : null;
                network?.to(target);
                var projector = new Projector(generator.Network, m.LatentSize, network);
                results = projector.Project(picture.to(target), weights?.to(target), options, encoder,
                    Reporter<ProjectionProgress>(context, p => (p.Done, p.Total, FormattableString.Invariant($"projection: step {p.Done}/{p.Total}  best loss {p.BestLoss:F4}"))), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine($"interrupted: nothing was written to {folder}.");
                return ExitCodes.Interrupted;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            double seconds = watch.Elapsed.TotalSeconds;
            Write(context, generator, folder, imagePath, picture, weights, results.Take(keepCount).ToList(), variationCount, spreadValue, parse.GetValue(toSeed), frameCount);
            var table = new Table().AddColumn("file").AddColumn(new TableColumn("restart").RightAligned()).AddColumn(new TableColumn("loss").RightAligned());
            for (int k = 0; k < keepCount; k++)
                table.AddRow($"projection-{k + 1}.png", results[k].Restart.ToString(CultureInfo.InvariantCulture), results[k].Loss.ToString("F4", CultureInfo.InvariantCulture));
            context.Console.Write(table);
            context.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"wrote {folder}: {keepCount} projection(s) of {Path.GetFileName(imagePath)} ({EnumText.Name(options.Mode)}, {options.OptimizationSteps} steps x {found}, {seconds:F1} s)")));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CliContext context, TrainedGenerator generator, string folder, string imagePath, Tensor picture, Tensor? mask,
        List<ProjectedLatent> kept, int variations, double spread, long toSeed, int frames)
    {
        var m = generator.Model;
        Directory.CreateDirectory(folder);
        var pictureHash = StyleInputFile.Hash(imagePath);
        var source = Path.GetFileName(imagePath);
        var targetPixels = picture.cpu().contiguous().data<float>().ToArray();
        var seen = generator.Provenance($"projection target: {source} (sha256 {pictureHash}) as the model sees it");
        seen.Remove("Comment");
        using (var bitmap = ImageCodec.FromPixels(targetPixels, m.Channels, m.Resolution, m.Resolution))
            AtomicFile.WriteAllBytes(Path.Combine(folder, "target.png"), ImageCodec.EncodePng(bitmap, seen));
        if (mask is not null)
        {
            var maskPixels = (mask.cpu() * 2 - 1).contiguous().data<float>().ToArray();
            using var bitmap = ImageCodec.FromPixels(maskPixels, 1, m.Resolution, m.Resolution);
            AtomicFile.WriteAllBytes(Path.Combine(folder, "mask.png"), ImageCodec.EncodePng(bitmap));
        }
        var strip = new List<float>(targetPixels);
        for (int k = 0; k < kept.Count; k++)
        {
            var recipe = new GenerationRecipe(GenerationKind.SingleImage, "0", Latent: kept[k].Latent);
            var name = FormattableString.Invariant($"projection-{k + 1}");
            AtomicFile.WriteAllBytes(Path.Combine(folder, name + ".png"), recipe.Render(generator));
            new LatentFile(LatentFile.CurrentFormat, kept[k].Latent, generator.WeightsId, FormattableString.Invariant($"projection of {source}, restart {kept[k].Restart}"),
                pictureHash, kept[k].Loss).Save(Path.Combine(folder, name + ".latent.json"));
            strip.AddRange(generator.GenerateShaped([0], LatentShape.None, latent: kept[k].Latent));
        }
        using (var sheet = ImageGrid.Compose(strip.ToArray(), kept.Count + 1, m.Channels, m.Resolution, m.Resolution,
            new ImageGridOptions(Columns: kept.Count + 1, Scale: m.Resolution < 48 ? 2 : 1)))
            AtomicFile.WriteAllBytes(Path.Combine(folder, "comparison.png"), ImageCodec.EncodePng(sheet, generator.Provenance($"{source} and its best {kept.Count} projection(s)"), DigitalSource.CompositeWithTrainedAlgorithmicMedia));
        if (variations > 0)
        {
            var recipe = new GenerationRecipe(GenerationKind.Grid, FormattableString.Invariant($"1-{variations}"), Variation: LatentShape.FormatVariation((0, spread)), Latent: kept[0].Latent);
            AtomicFile.WriteAllBytes(Path.Combine(folder, "variations.png"), recipe.Render(generator));
        }
        if (frames > 0)
        {
            var end = Latents.ForSeeds([toSeed], m.LatentSize);
            AtomicFile.WriteAllBytes(Path.Combine(folder, "walk.gif"), InterpolationGif.Render(generator, kept[0].Latent, end.data<float>().ToArray(), frames));
        }
    }

    /// <summary>The first report, then one every 10 s and the last: a line each.</summary>
    private static SyncProgress<T> Reporter<T>(CliContext context, Func<T, (int Done, int Total, string Line)> describe) where T : struct
    {
        Stopwatch? last = null;
        return new SyncProgress<T>(p =>
        {
            var (done, total, line) = describe(p);
            if (last is not null && last.Elapsed.TotalSeconds < 10 && done != total) return;
            last = Stopwatch.StartNew();
            context.Console.WriteLine(line);
        });
    }

    /// <summary>Reports synchronously on the working thread (System.Progress would post to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

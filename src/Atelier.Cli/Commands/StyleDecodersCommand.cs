using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Models.Pretrained;
using Atelier.Platform;
using Atelier.Stylization;
using Spectre.Console;
using TorchSharp;

namespace Atelier.Cli.Commands;

/// <summary>`atelier style-decoders`: trains the fast style path's decoders on a folder, for reconstruction only.</summary>
internal static class StyleDecodersCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A folder of pictures (any size; each is cropped to a centred square at --resolution).", Required = true };
        var output = new Option<string?>("--out") { Description = "The decoders file (.safetensors) to write; a .json beside it records how it was trained." };
        var evaluate = new Option<int?>("--evaluate") { Description = "Train nothing: measure how well the --from decoders (default: the shipped ones) rebuild the first N pictures of --data, per level and in cascade (PSNR)." };
        var from = new Option<string?>("--from") { Description = "Start from these decoders (e.g. the shipped ones, to fit them to your own pictures) instead of random weights." };
        var steps = new Option<int>("--steps") { Description = "Adam steps per level.", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 8 };
        var resolution = new Option<int>("--resolution") { Description = $"Training crops' side in pixels (a multiple of {StyleDecoders.Alignment}).", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Adam's learning rate at the start (a half cosine takes it to a tenth).", DefaultValueFactory = _ => 1e-3 };
        var featureWeight = new Option<double>("--feature-weight") { Description = "Weight of the features' reconstruction against the pixels'.", DefaultValueFactory = _ => 1 };
        var levels = new Option<string>("--levels") { Description = "Levels to train: 1 (layer1), 2 (layer2), 3 (layer3).", DefaultValueFactory = _ => "1,2,3" };
        var seed = new Option<long>("--seed") { Description = "Initial weights and image order.", DefaultValueFactory = _ => 0 };
        var dataRoot = CommonOptions.DataRoot();
        var threads = CommonOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("style-decoders", """
            Train the decoders of the fast style path (style --method wct|adain) on your pictures: for ResNet18's layer1,
            layer2 and layer3, a decoder learns to turn the features back into the picture (Li et al. 2017: pixels plus
            features, no style images). Atelier ships decoders trained on public-domain clip art, emoji, paintings and
            photographs (docs/style-transfer.md); train your own when your pictures look unlike those.

            Examples:
              atelier style-decoders --data ~/paintings --out my-decoders.safetensors
              atelier style-decoders --data ~/paintings --from shipped --steps 500 --out tuned.safetensors
              atelier style-decoders --data ~/held-out --evaluate 200 --from my-decoders.safetensors
              atelier style --content a.jpg --style b.jpg --method wct --decoders my-decoders.safetensors --out c.png
            """)
        {
            data, output, evaluate, from, steps, batch, resolution, lr, featureWeight, levels, seed, dataRoot, threads, device,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(evaluate) is int n) return Evaluate(context, parse, n, data, from, resolution, dataRoot, threads, device, output);
            var outPath = parse.GetValue(output) ?? throw new UsageException("--out: give the decoders file to write (or --evaluate N to measure decoders).");
            if (!outPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out: '{outPath}' must be a .safetensors file.");
            var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(outDir)) throw new UsageException($"--out: the folder '{outDir}' does not exist; create it first.");
            var fromPath = parse.GetValue(from) is string f ? ResolveFrom(f) : null;
            var levelList = ParseLevels(parse.GetValue(levels)!);
            var options = new DecoderTrainingOptions(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(featureWeight), parse.GetValue(seed), levelList).Validate();
            int side = CheckResolution(parse.GetValue(resolution));
            var spec = parse.GetValue(data)!;
            if (!Directory.Exists(spec)) throw new UsageException($"--data: '{spec}' is not a folder of pictures.");
            int used = TorchRuntime.ConfigureThreads(parse.GetValue(threads));
            var source = new DatasetResolver(context.Paths, context.Warn).Open(new DatasetRequest(spec, side, 3, parse.GetValue(dataRoot), ImageFit.CenterCrop));
            var target = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            torch.manual_seed(options.Seed);
            using var network = ResNet18Network.Load();
            network.to(target);
            using var decoders = fromPath is null ? new StyleDecoders() : StyleDecoders.Load(fromPath);
            decoders.to(target);
            var watch = Stopwatch.StartNew();
            var last = Stopwatch.StartNew();
            var final = new Dictionary<int, DecoderProgress>();
            var progress = new Progress(p =>
            {
                if (p.Step == p.Steps) final[p.Level] = p;
                if (last.Elapsed.TotalSeconds < 10 && p.Step != p.Steps && p.Step != 1) return;
                last.Restart();
                int done = final.Keys.Count(l => l != p.Level) * p.Steps + p.Step;
                double left = watch.Elapsed.TotalSeconds / done * (options.TrainedLevels.Count * p.Steps - done);
                context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"level {p.Level}: step {p.Step}/{p.Steps}  loss {p.Loss:F4}  pixels {p.PixelPsnr:F2} dB  features {p.FeatureLoss:F4}  {watch.Elapsed:hh\\:mm\\:ss} (about {TimeSpan.FromSeconds(left):hh\\:mm\\:ss} left)"));
            });
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, args) =>
            {
                args.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                DecoderTraining.Train(network, decoders, source, options, progress, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine($"interrupted: nothing was written to {outPath}.");
                return ExitCodes.Interrupted;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            decoders.Save(outPath);
            var record = new
            {
                file = Path.GetFileName(outPath),
                sha256 = StyleInputFile.Hash(outPath),
                data = new { spec, images = source.Count, resolution = side, fingerprint = source.Fingerprint },
                from = fromPath is null ? null : StyleInputFile.Of(fromPath),
                options,
                threads = used,
                seconds = Math.Round(watch.Elapsed.TotalSeconds, 1),
                lastBatch = final.Values.OrderBy(p => p.Level).Select(p => new { level = p.Level, loss = p.Loss, pixelPsnrDb = p.PixelPsnr, featureLoss = p.FeatureLoss }),
            };
            AtomicFile.WriteAllText(Path.ChangeExtension(outPath, ".json"), JsonSerializer.Serialize(record, Indented) + "\n");
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/] ({new FileInfo(outPath).Length / 1024} KiB) in {watch.Elapsed:hh\\:mm\\:ss}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Evaluate(CliContext context, ParseResult parse, int n, Option<string> data, Option<string?> from, Option<int> resolution,
        Option<string?> dataRoot, Option<int> threads, Option<string> device, Option<string?> output)
    {
        if (parse.GetValue(output) is not null) throw new UsageException("--out: --evaluate writes nothing; leave --out out.");
        if (n is < 1 or > 100_000) throw new UsageException($"--evaluate: {n} is outside 1..100000 pictures.");
        var path = ResolveFrom(parse.GetValue(from) ?? "shipped");
        int side = CheckResolution(parse.GetValue(resolution));
        var spec = parse.GetValue(data)!;
        if (!Directory.Exists(spec)) throw new UsageException($"--data: '{spec}' is not a folder of pictures.");
        TorchRuntime.ConfigureThreads(parse.GetValue(threads));
        var source = new DatasetResolver(context.Paths, context.Warn).Open(new DatasetRequest(spec, side, 3, parse.GetValue(dataRoot), ImageFit.CenterCrop));
        var target = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
        using var network = ResNet18Network.Load();
        network.to(target);
        using var decoders = StyleDecoders.Load(path);
        decoders.to(target);
        var psnr = DecoderTraining.Evaluate(network, decoders, source, n);
        context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)} on {Math.Min(n, source.Count)} pictures of {spec} at {side}x{side} (centre crop): PSNR level 1 {psnr[0]:F2} dB, level 2 {psnr[1]:F2} dB, level 3 {psnr[2]:F2} dB, cascade 3-2-1 {psnr[3]:F2} dB"));
        return ExitCodes.Success;
    }

    /// <summary>--from: a decoders file, or "shipped" for the ones Atelier ships.</summary>
    private static string ResolveFrom(string from) => from == "shipped" ? StyleDecoders.DefaultPath
        : File.Exists(from) ? from : throw new UsageException($"--from: '{from}' does not exist (or say 'shipped' for the decoders Atelier ships).");

    private static int CheckResolution(int side) =>
        side >= StyleDecoders.Alignment && side <= 1024 && side % StyleDecoders.Alignment == 0 ? side
            : throw new UsageException($"--resolution: {side} must be a multiple of {StyleDecoders.Alignment} from {StyleDecoders.Alignment} to 1024.");

    private static int[] ParseLevels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var levels = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out levels[i]))
                throw new UsageException($"--levels: '{parts[i]}' is not a level (1, 2 or 3).");
        return levels;
    }

    /// <summary>Reports synchronously on the training thread.</summary>
    private sealed class Progress(Action<DecoderProgress> report) : IProgress<DecoderProgress>
    {
        public void Report(DecoderProgress value) => report(value);
    }
}

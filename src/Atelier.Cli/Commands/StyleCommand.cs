using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Atelier.Imaging;
using Atelier.Models.Pretrained;
using Atelier.Platform;
using Atelier.Stylization;
using Spectre.Console;
using TorchSharp;

namespace Atelier.Cli.Commands;

/// <summary>`atelier style`: optimisation-based style transfer on the frozen ImageNet ResNet18.</summary>
internal static class StyleCommand
{
    public static Command Create(CliContext context)
    {
        var content = new Option<string>("--content") { Description = "The picture to restyle (PNG, JPEG, WebP, GIF, BMP).", Required = true };
        var style = new Option<string[]>("--style")
        {
            Description = "A style image, optionally with a weight: painting.jpg or other.jpg:0.3. Repeat for a mix of styles (weights are shares).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string>("--out") { Description = "The result, a PNG that carries its recipe (atelier reproduce regenerates it).", Required = true };
        var mask = new Option<string?>("--mask") { Description = "A grey image, stretched to the content: white where the style applies, black where the content stays." };
        var size = new Option<int>("--size") { Description = $"Long side of the result in pixels (up to {StyleTransferOptions.MaxSize}; above --tile it is refined tile by tile).", DefaultValueFactory = _ => 512 };
        var steps = new Option<int>("--steps") { Description = "L-BFGS evaluations (one forward and backward pass each) of the whole-image pass; tiles get a quarter each, at least 10.", DefaultValueFactory = _ => 300 };
        var strength = new Option<double>("--strength") { Description = "Weight of the style against the content: 0.5 half, 2 twice the default.", DefaultValueFactory = _ => 1 };
        var preserve = new Option<bool>("--preserve-color") { Description = "Transfer the style's luminance only and keep the content's colours." };
        var smoothing = new Option<string>("--smoothing")
        {
            Description = $"How the ResNet18 activations are smoothed before matching (Wang 2021, SWAG): {string.Join(", ", EnumText.Names<FeatureSmoothing>())}.",
            DefaultValueFactory = _ => EnumText.Name(StyleTransferOptions.DefaultSmoothing),
        };
        var method = new Option<string>("--method")
        {
            Description = "gatys: optimise the pixels (minutes); wct or adain: the fast path, one pass per level through the shipped decoders (seconds).",
            DefaultValueFactory = _ => EnumText.Name(StyleMethod.Gatys),
        };
        var decoders = new Option<string?>("--decoders") { Description = "For --method wct/adain: a decoders file from `atelier style-decoders` (default: the one Atelier ships)." };
        var depth = new Option<int>("--depth") { Description = "For --method wct/adain: the deepest level transformed, 1 (layer1: colours and fine texture) to 3 (layer3: larger strokes, less of the content).", DefaultValueFactory = _ => StyleTransferOptions.DefaultDepth };
        var tile = new Option<int>("--tile") { Description = "Tile side for large results: stylised at this size first, then refined at full size in shifting tiles.", DefaultValueFactory = _ => 512 };
        var threads = CommonOptions.Threads();
        var device = new Option<string>("--device") { Description = "cpu or cuda: where the network and the picture live.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("style", """
            Repaint a picture in the style of one or more others (Gatys et al. 2016 on the frozen ImageNet ResNet18; style
            from its stem and layer1-4, content from layer3). Starts from the content and moves its pixels with L-BFGS.
            The PNG records the inputs' names and SHA-256 and every option, so `atelier reproduce` makes it again.

            Examples:
              atelier style --content photo.jpg --style starry_night.jpg --out photo-starry.png
              atelier style --content photo.jpg --style a.jpg --style b.jpg:0.3 --preserve-color --strength 2 --out mix.png
              atelier style --content photo.jpg --style starry_night.jpg --method wct --strength 0.8 --out fast.png
            """)
        {
            content, style, output, mask, size, steps, strength, preserve, smoothing, method, decoders, depth, tile, threads, device,
        };
        command.SetAction(parse =>
        {
            var contentPath = RequireFile(parse.GetValue(content)!, "--content");
            var styles = parse.GetValue(style)!.Select(ParseStyle).ToList();
            var maskPath = parse.GetValue(mask) is string m ? RequireFile(m, "--mask") : null;
            var outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--out: '{outPath}' must be a .png file (the recipe travels in its text chunks).");
            var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(outDir)) throw new UsageException($"--out: the folder '{outDir}' does not exist; create it first.");
            var chosen = EnumText.Parse<StyleMethod>(parse.GetValue(method)!, "--method", "style method");
            string? decodersPath = null;
            if (chosen == StyleMethod.Gatys)
            {
                if (parse.GetValue(decoders) is not null) throw new UsageException("--decoders: only --method wct or adain uses decoders.");
                if (parse.GetResult(depth) is { Implicit: false }) throw new UsageException("--depth: only --method wct or adain has levels.");
            }
            else
            {
                foreach (var unused in new Option[] { steps, smoothing, tile })
                    if (parse.GetResult(unused) is { Implicit: false }) throw new UsageException($"{unused.Name}: --method {EnumText.Name(chosen)} does not optimise; {unused.Name} belongs to --method gatys.");
                decodersPath = parse.GetValue(decoders) is string d ? RequireFile(d, "--decoders") : StyleDecoders.DefaultPath;
            }
            var options = new StyleTransferOptions(parse.GetValue(size), parse.GetValue(steps), parse.GetValue(strength), parse.GetValue(preserve),
                EnumText.Parse<FeatureSmoothing>(parse.GetValue(smoothing)!, "--smoothing", "smoothing"), parse.GetValue(tile), chosen, parse.GetValue(depth)).Validate();
            // Decode every input before the network loads: a bad file fails in a second, naming itself.
            foreach (var path in styles.Select(s => s.Path).Prepend(contentPath).Concat(maskPath is null ? [] : [maskPath])) using (ImageCodec.Decode(path)) { }
            int used = TorchRuntime.ConfigureThreads(parse.GetValue(threads));
            // Read the decoders before the work starts: a missing or foreign file fails naming itself.
            if (decodersPath is not null) StyleDecoders.Load(decodersPath).Dispose();
            var recipe = new StyleRecipe(StyleInputFile.Of(contentPath), [.. styles.Select(s => new StyleRecipeStyle(StyleInputFile.Of(s.Path), s.Weight))],
                maskPath is null ? null : StyleInputFile.Of(maskPath), options, used, decodersPath is null ? null : StyleInputFile.Of(decodersPath));
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, args) =>
            {
                args.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            byte[] bytes;
            try
            {
                bytes = Render(context, recipe, contentPath, [.. styles.Select(s => s.Path)], maskPath, parse.GetValue(device)!, decodersPath, cancel.Token);
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
            AtomicFile.WriteAllBytes(outPath, bytes);
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs a recipe behind a progress bar with ETA (terminal) or a line every 10 s (logs).</summary>
    internal static byte[] Render(CliContext context, StyleRecipe recipe, string content, IReadOnlyList<string> styles, string? mask, string device,
        string? decoders = null, CancellationToken cancel = default)
    {
        var target = TorchRuntime.ResolveDevice(device);
        using var network = ResNet18Network.Load();
        network.to(target);
        var watch = Stopwatch.StartNew();
        if (!context.Interactive)
        {
            var last = Stopwatch.StartNew();
            var lines = new Progress(p =>
            {
                if (last.Elapsed.TotalSeconds < 10 && p.Done != p.Total) return;
                last.Restart();
                context.Console.WriteLine(Line(p, watch.Elapsed));
            });
            return recipe.Render(network, content, styles, mask, target, lines, decoders, cancel);
        }
        byte[]? bytes = null;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("style transfer", maxValue: 1);
                bytes = recipe.Render(network, content, styles, mask, target, new Progress(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = Markup.Escape(Line(p, watch.Elapsed));
                }), decoders, cancel);
                task.Value = task.MaxValue;
            });
        return bytes!;
    }

    private static string Line(StyleProgress p, TimeSpan elapsed) =>
        double.IsNaN(p.Loss)
            ? $"{p.Stage}: {p.Done}/{p.Total}  {elapsed:hh\\:mm\\:ss}"
            : $"{p.Stage}: iteration {p.Done}/{p.Total}  loss {p.Loss:F4}  {elapsed:hh\\:mm\\:ss}";

    /// <summary>"path" or "path:weight"; a colon followed by anything but a number belongs to the path.</summary>
    internal static (string Path, double Weight) ParseStyle(string text)
    {
        int colon = text.LastIndexOf(':');
        double weight = 1;
        var path = text;
        if (colon > 0 && double.TryParse(text[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
        {
            if (!(w > 0 && w <= 1000)) throw new UsageException($"--style: the weight in '{text}' must be above 0 and at most 1000.");
            (path, weight) = (text[..colon], w);
        }
        return (RequireFile(path, "--style"), weight);
    }

    private static string RequireFile(string path, string flag) =>
        File.Exists(path) ? path : throw new UsageException($"{flag}: '{path}' does not exist.");

    /// <summary>Reports synchronously on the rendering thread (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<StyleProgress> report) : IProgress<StyleProgress>
    {
        public void Report(StyleProgress value) => report(value);
    }
}

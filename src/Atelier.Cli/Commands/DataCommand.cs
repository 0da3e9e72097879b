using System.CommandLine;
using System.Globalization;
using Atelier.Data;
using Atelier.Imaging;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier data info|preview`.</summary>
internal static class DataCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("data", "Inspect datasets: counts, fingerprints, previews.");
        command.Subcommands.Add(CreateInfo(context));
        command.Subcommands.Add(CreatePreview(context));
        command.Subcommands.Add(CreateAudit(context));
        return command;
    }

    private static Command CreateAudit(CliContext context)
    {
        var folder = new Argument<string>("folder") { Description = "The folder of images to audit (searched recursively; nothing is changed)." };
        var output = new Option<string?>("--out") { Description = "Folder for audit.html and duplicates.png (default: ./audit)." };
        var threshold = new Option<int>("--threshold") { Description = "Near duplicates: 256-bit perceptual hashes at most this many bits apart (0-256), with similar colours.", DefaultValueFactory = _ => DatasetAudit.DefaultThreshold };
        var fix = new Option<string?>("--fix")
        {
            Description = "Write a clean manifest (default <folder>/atelier-clean.txt when given without a path): readable images, one of each duplicate group. " +
                          "Train on it with --data <manifest>. No file is ever deleted.",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => r.Tokens.Count == 0 ? "" : r.Tokens[0].Value,
        };
        var command = new Command("audit", """
            Audit a folder before training: counts, size and aspect-ratio histograms, colour modes, exact and near duplicates,
            unreadable files and class balance (subfolders), as audit.html and duplicates.png.

            Examples:
              atelier data audit ~/art
              atelier data audit ~/art --threshold 10 --fix
            """)
        {
            folder, output, threshold, fix,
        };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(folder)!;
            var audit = DatasetAudit.Run(root, parse.GetValue(threshold));
            var (html, png) = AuditReport.Write(audit, parse.GetValue(output) ?? Path.Combine(Environment.CurrentDirectory, "audit"));
            var table = new Table().AddColumn("finding").AddColumn(new TableColumn("count").RightAligned());
            table.AddRow("readable images", audit.Images.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow("unreadable files", audit.Unreadable.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow("exact duplicate groups", $"{audit.ExactDuplicates.Count} ({audit.ExactDuplicates.Sum(g => g.Count - 1)} extra files)");
            table.AddRow($"near-duplicate groups (<= {audit.Threshold} bits)", $"{audit.NearDuplicates.Count} ({audit.NearDuplicates.Sum(g => g.Count - 1)} extra files)");
            foreach (var mode in audit.Images.GroupBy(i => i.Mode).OrderBy(g => g.Key, StringComparer.Ordinal))
                table.AddRow($"mode {mode.Key}", mode.Count().ToString(CultureInfo.InvariantCulture));
            foreach (var (name, count) in audit.Classes()) table.AddRow($"class {Markup.Escape(name)}", count.ToString(CultureInfo.InvariantCulture));
            context.Console.Write(table);
            foreach (var u in audit.Unreadable) context.Warn($"unreadable: {u.Path}: {u.Reason}");
            context.Console.WriteLine($"report:   {html}");
            context.Console.WriteLine($"          {png}");
            if (parse.GetValue(fix) is string manifest)
            {
                if (manifest.Length == 0) manifest = Path.Combine(audit.Root, "atelier-clean.txt");
                var full = Path.GetFullPath(manifest);
                if (Path.GetDirectoryName(full) != audit.Root)
                    throw new UsageException($"--fix: the manifest must be in the audited folder ({audit.Root}) so its relative paths resolve; got '{manifest}'.");
                AtomicFile.WriteAllText(full, AuditReport.Manifest(audit));
                context.Console.WriteLine($"manifest: {full} ({audit.Kept().Count} of {audit.Images.Count} images; train with --data {full})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateInfo(CliContext context)
    {
        var dataset = new Argument<string>("dataset") { Description = "fashion-mnist, mnist, fashion-mnist:test, procedural:<style> or a folder." };
        var (resolution, channels, dataRoot, fit, labels) = (CommonOptions.Resolution(), CommonOptions.Channels(), CommonOptions.DataRoot(), CommonOptions.Fit(), CommonOptions.FolderLabels());
        var command = new Command("info", "Count, resolution, channels, classes, fingerprint and skipped files of a dataset.")
        {
            dataset, resolution, channels, dataRoot, fit, labels,
        };
        command.SetAction(parse =>
        {
            var source = new DatasetResolver(context.Paths, context.Warn)
                .Open(CommonOptions.Request(parse, parse.GetValue(dataset)!, resolution, channels, dataRoot, fit, labels));
            var table = new Table().AddColumn("property").AddColumn("value");
            table.AddRow("name", Markup.Escape(source.Name));
            table.AddRow("images", source.IsUnlimited ? $"unlimited ({source.Count} per epoch)" : source.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow("resolution", $"{source.Resolution}x{source.Resolution}x{source.Channels}");
            table.AddRow("channels", source.Channels.ToString(CultureInfo.InvariantCulture));
            table.AddRow("classes", source.Classes is null ? "none" : $"{source.Classes.Count}: {Markup.Escape(string.Join(", ", source.Classes))}");
            table.AddRow("fingerprint", Markup.Escape(source.Fingerprint));
            table.AddRow("skipped files", source.Skipped.Count.ToString(CultureInfo.InvariantCulture));
            context.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreatePreview(CliContext context)
    {
        var dataset = new Argument<string>("dataset") { Description = "fashion-mnist, mnist, procedural:<style> or a folder." };
        var (resolution, channels, dataRoot, fit, labels) = (CommonOptions.Resolution(), CommonOptions.Channels(), CommonOptions.DataRoot(), CommonOptions.Fit(), CommonOptions.FolderLabels());
        var count = new Option<int>("--count") { Description = "How many images (1-1024).", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "PNG file to write.", DefaultValueFactory = _ => "preview.png" };
        var seed = new Option<long>("--seed") { Description = "Which images: a shuffle of the dataset by this seed.", DefaultValueFactory = _ => 0 };
        var captions = new Option<bool>("--captions") { Description = "Write each image's class under it." };
        var command = new Command("preview", "Write a grid of dataset images to a PNG.")
        {
            dataset, resolution, channels, dataRoot, fit, labels, count, output, seed, captions,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            if (n is < 1 or > 1024) throw new UsageException($"--count: {n} is outside 1..1024.");
            var source = new DatasetResolver(context.Paths, context.Warn)
                .Open(CommonOptions.Request(parse, parse.GetValue(dataset)!, resolution, channels, dataRoot, fit, labels, parse.GetValue(seed)));
            n = source.IsUnlimited ? n : Math.Min(n, source.Count);
            using var loader = new BatchLoader(source, n, parse.GetValue(seed), flip: false, prefetch: 1);
            var batch = loader.Build(0);
            var names = parse.GetValue(captions) && source.Classes is not null
                ? batch.Labels.Select(l => l >= 0 ? source.Classes[l] : "").ToList()
                : null;
            using var grid = ImageGrid.Compose(batch.Pixels, n, source.Channels, source.Resolution, source.Resolution,
                new ImageGridOptions(Scale: source.Resolution < 48 ? 2 : 1), names);
            var path = parse.GetValue(output)!;
            ImageCodec.SavePng(grid, path, new Dictionary<string, string>
            {
                ["Software"] = "Atelier " + Platform.TorchRuntime.AtelierVersion,
                ["Source"] = source.Name,
            });
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]: {n} images of {Markup.Escape(source.Name)} ({source.Resolution}x{source.Resolution}x{source.Channels})");
            return ExitCodes.Success;
        });
        return command;
    }
}

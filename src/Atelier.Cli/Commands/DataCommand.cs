using System.CommandLine;
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
            table.AddRow("images", source.IsUnlimited ? $"unlimited ({source.Count} per epoch)" : source.Count.ToString());
            table.AddRow("resolution", $"{source.Resolution}x{source.Resolution}x{source.Channels}");
            table.AddRow("channels", source.Channels.ToString());
            table.AddRow("classes", source.Classes is null ? "none" : $"{source.Classes.Count}: {Markup.Escape(string.Join(", ", source.Classes))}");
            table.AddRow("fingerprint", Markup.Escape(source.Fingerprint));
            table.AddRow("skipped files", source.Skipped.Count.ToString());
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

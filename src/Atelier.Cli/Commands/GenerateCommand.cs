using System.CommandLine;
using Atelier.Imaging;
using Atelier.Sampling;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier generate`: seeds → images from a trained run, bit-identical across invocations.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var run = CommonOptions.Run();
        var checkpoint = CommonOptions.Checkpoint();
        var seeds = new Option<string?>("--seeds") { Description = "Seeds to draw, e.g. 0-63 or 1,5,9 (default 0-63; 0 with --latent)." };
        var latent = new Option<string?>("--latent") { Description = "A latent file (atelier project writes them) drawn instead of each seed's latent; --edit, --truncation and --variation shape it, the seeds seed the variations." };
        var grid = new Option<string?>("--grid") { Description = "Write all images as one grid PNG." };
        var output = new Option<string?>("--out") { Description = "Folder for one PNG per seed, or the GIF file with --interpolate." };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw generator instead of its moving average." };
        var interpolate = new Option<string?>("--interpolate") { Description = "Two seeds 'a,b': a spherical walk from one to the other, as an animated GIF (--out walk.gif)." };
        var frames = new Option<int>("--frames") { Description = "Frames of the --interpolate walk.", DefaultValueFactory = _ => 30 };
        var columns = new Option<int>("--columns") { Description = "Grid columns (0 = square).", DefaultValueFactory = _ => 0 };
        var aspect = new Option<string?>("--aspect") { Description = "Crop each image to this aspect ratio (e.g. 4:3, 9:16), centred; for runs trained on letterboxed art." };
        var edit = new Option<string?>("--edit") { Description = "Move along latent directions found by SeFa (Shen & Zhou 2021): direction:distance pairs, e.g. 0:3,2:-1.5. List them with --directions." };
        var listDirections = new Option<int?>("--directions") { Description = "Print the top N latent directions (SeFa) and their strengths, and write a sheet of each at -3..3 with --grid." };
        var truncation = new Option<string?>("--truncation") { Description = "Truncation ψ in (0, 2]: latents scaled toward the mean; below 1 gives more typical, less varied images." };
        var variation = new Option<string?>("--variation") { Description = "A variation of each seed, index:spread (e.g. 3:0.5): the seed's latent plus spread times a second draw." };
        var klass = new Option<string?>("--class") { Description = "For a class-conditional run: the class to draw, by name (dress) or index (3). Default: seed mod classes." };
        var device = new Option<string>("--device") { Description = "cpu or cuda: where the generator runs (latents are drawn on the CPU either way).", DefaultValueFactory = _ => Platform.EnumText.Name(Training.Recipes.TrainingDefaults.Device) };
        var command = new Command("generate", "Make images from a trained run: one per seed, as a grid, files or an interpolation GIF.")
        {
            run, checkpoint, seeds, latent, grid, output, noEma, interpolate, frames, columns, klass, aspect, edit, listDirections, truncation, variation, device,
        };
        command.SetAction(parse =>
        {
            var checkpointPath = TrainedGenerator.ResolveCheckpoint(parse.GetValue(run)!, parse.GetValue(checkpoint));
            using var generator = TrainedGenerator.Load(checkpointPath, useAverage: !parse.GetValue(noEma), device: Platform.TorchRuntime.ResolveDevice(parse.GetValue(device)!));
            var m = generator.Model;
            int? label = parse.GetValue(klass) is string className ? generator.ResolveClass(className) : null;
            float[]? given = null;
            if (parse.GetValue(latent) is string latentPath)
            {
                if (parse.GetValue(interpolate) is not null || parse.GetValue(listDirections) is not null)
                    throw new UsageException("--latent: draws images of one latent; it does not combine with --interpolate or --directions (atelier project writes a walk from a projection).");
                var file = LatentFile.Load(latentPath);
                if (file.CheckFits(m.LatentSize, generator.WeightsId, latentPath) is string note) context.Warn(note);
                given = file.Values;
            }
            var seedText = parse.GetValue(seeds) ?? (given is null ? "0-63" : "0");
            if (parse.GetValue(interpolate) is string pair)
                return Interpolate(context, generator, pair, parse.GetValue(frames), parse.GetValue(output), label);
            if (parse.GetValue(listDirections) is int top)
                return Directions(context, generator, top, parse.GetValue(grid), SeedRange.Parse(seedText)[0]);
            var edits = parse.GetValue(edit) is string editText ? LatentDirections.FormatEdits(LatentDirections.ParseEdits(editText)) : null;
            double? psi = parse.GetValue(truncation) is string psiText ? LatentShape.ParseTruncation(psiText) : null;
            string? jitter = parse.GetValue(variation) is string jitterText ? LatentShape.FormatVariation(LatentShape.ParseVariation(jitterText)) : null;
            var seedList = SeedRange.Parse(seedText);
            if (parse.GetValue(columns) is < 0 or > 1024) throw new UsageException($"--columns: {parse.GetValue(columns)} is outside 0..1024 (0 = square).");
            var gridPath = parse.GetValue(grid);
            var folder = parse.GetValue(output);
            if (gridPath is null && folder is null) throw new UsageException("--grid or --out: say where the images go (a grid PNG, or a folder for one PNG per seed).");
            if (parse.GetValue(aspect) is string ratio) AspectCrop.Parse(ratio);
            if (gridPath is not null)
            {
                if (seedList.Count > 1024) throw new UsageException($"--seeds: a grid holds at most 1024 images, not {seedList.Count}; use --out for more.");
                var recipe = new GenerationRecipe(GenerationKind.Grid, seedText, parse.GetValue(columns), label, parse.GetValue(aspect), !parse.GetValue(noEma), edits, psi, jitter, given);
                AtomicFile.WriteAllBytes(gridPath, recipe.Render(generator));
                context.Console.MarkupLine($"wrote [bold]{Markup.Escape(gridPath)}[/] ({seedList.Count} images from {Markup.Escape(checkpointPath)})");
            }
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
                foreach (var seed in seedList)
                {
                    var recipe = new GenerationRecipe(GenerationKind.SingleImage, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, label, parse.GetValue(aspect), !parse.GetValue(noEma), edits, psi, jitter, given);
                    AtomicFile.WriteAllBytes(Path.Combine(folder, $"seed{seed:D4}.png"), recipe.Render(generator));
                }
                context.Console.MarkupLine($"wrote {seedList.Count} images to [bold]{Markup.Escape(folder)}[/]");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Lists the top SeFa directions; with a grid path, a sheet: one row per direction, seed moved from −3 to +3.</summary>
    private static int Directions(CliContext context, TrainedGenerator generator, int top, string? gridPath, long seed)
    {
        if (top is < 1 or > 64) throw new UsageException($"--directions: {top} is outside 1..64.");
        var (directions, eigenvalues) = generator.DirectionsWithStrength(top);
        var table = new Table().AddColumn("direction").AddColumn(new TableColumn("eigenvalue").RightAligned()).AddColumn(new TableColumn("share of these").RightAligned());
        double total = eigenvalues.Sum();
        for (int i = 0; i < directions.Length; i++)
            table.AddRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture), eigenvalues[i].ToString("F4", System.Globalization.CultureInfo.InvariantCulture), (eigenvalues[i] / total).ToString("P1", System.Globalization.CultureInfo.InvariantCulture));
        context.Console.Write(table);
        if (gridPath is not null)
        {
            var m = generator.Model;
            double[] steps = [-3, -2, -1, 0, 1, 2, 3];
            var pixels = new List<float>();
            for (int d = 0; d < directions.Length; d++)
                foreach (var x in steps) pixels.AddRange(generator.GenerateEdited([seed], [(d, x)]));
            using var sheet = ImageGrid.Compose(pixels.ToArray(), directions.Length * steps.Length, m.Channels, m.Resolution, m.Resolution,
                new ImageGridOptions(Columns: steps.Length, Scale: m.Resolution < 48 ? 2 : 1));
            ImageCodec.SavePng(sheet, gridPath, generator.Provenance($"SeFa directions 0-{directions.Length - 1} of seed {seed}, distances -3..3"), DigitalSource.TrainedAlgorithmicMedia);
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(gridPath)}[/] (rows: directions, columns: -3..3)");
        }
        return ExitCodes.Success;
    }

    private static int Interpolate(CliContext context, TrainedGenerator generator, string pair, int frames, string? output, int? label)
    {
        var ends = SeedRange.Parse(pair, "--interpolate");
        if (ends.Count != 2) throw new UsageException($"--interpolate: give two seeds as a,b (got '{pair}').");
        if (output is null || !output.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("--out: give the GIF file to write, e.g. --out walk.gif.");
        AtomicFile.WriteAllBytes(output, InterpolationGif.Render(generator, ends[0], ends[1], frames, label));
        context.Console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/] ({frames} frames from seed {ends[0]} to seed {ends[1]})");
        return ExitCodes.Success;
    }
}

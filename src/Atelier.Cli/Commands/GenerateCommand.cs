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
        run.Aliases.Add("--network"); // as StyleGAN's gen_images.py calls it
        var checkpoint = CommonOptions.Checkpoint();
        var seeds = new Option<string?>("--seeds") { Description = "Seeds to draw, e.g. 0-63 or 1,5,9 (default 0-63; 0 with --latent)." };
        var latent = new Option<string?>("--latent") { Description = "A latent file (atelier project writes them) drawn instead of each seed's latent; --edit, --truncation and --variation shape it, the seeds seed the variations." };
        var grid = new Option<string?>("--grid") { Description = "Write all images as one grid PNG." };
        var output = new Option<string?>("--out", "--outdir") { Description = "Folder for one PNG per seed, or the GIF file with --interpolate (default without --grid: generated/<run>)." };
        var force = new Option<bool>("--force") { Description = "Overwrite files that are already there (otherwise generate refuses and writes nothing)." };
        var scale = new Option<int>("--scale") { Description = $"Enlarge each picture N times (1..{GenerationRecipe.MaxScale}) for viewing or printing.", DefaultValueFactory = _ => 1 };
        var scaleFilter = new Option<string>("--scale-filter") { Description = "nearest (crisp pixels) or cubic (smooth).", DefaultValueFactory = _ => "nearest" };
        var noEma = new Option<bool>("--no-ema") { Description = "Use the raw generator instead of its moving average." };
        var interpolate = new Option<string?>("--interpolate") { Description = "Two seeds 'a,b': a spherical walk from one to the other, as an animated GIF (--out walk.gif)." };
        var frames = new Option<int>("--frames") { Description = "Frames of the --interpolate walk.", DefaultValueFactory = _ => 30 };
        var columns = new Option<int>("--columns") { Description = "Grid columns (0 = square).", DefaultValueFactory = _ => 0 };
        var aspect = new Option<string?>("--aspect") { Description = "Crop each image to this aspect ratio (e.g. 4:3, 9:16), centred; for runs trained on letterboxed art." };
        var edit = new Option<string?>("--edit") { Description = "Move along latent directions found by SeFa (Shen & Zhou 2021): direction:distance pairs, e.g. 0:3,2:-1.5. List them with --directions." };
        var listDirections = new Option<int?>("--directions") { Description = "Print the top N latent directions (SeFa) and their strengths, and write a sheet of each at -3..3 with --grid." };
        var truncation = new Option<string?>("--truncation", "--trunc") { Description = "Truncation ψ in (0, 2]: latents scaled toward the mean; below 1 gives more typical, less varied images." };
        var variation = new Option<string?>("--variation") { Description = "A variation of each seed, index:spread (e.g. 3:0.5): the seed's latent plus spread times a second draw." };
        var klass = new Option<string?>("--class") { Description = "For a class-conditional run: the class to draw, by name (dress) or index (3). Default: seed mod classes." };
        var device = new Option<string>("--device") { Description = "cpu or cuda: where the generator runs (latents are drawn on the CPU either way).", DefaultValueFactory = _ => Platform.EnumText.Name(Training.Recipes.TrainingDefaults.Device) };
        var command = new Command("generate", """
            Make images from a trained run: one PNG per seed, a grid, a sheet of latent directions or an interpolation GIF.
            The same run, seeds and options give the same bytes; every PNG records how it was made (atelier reproduce).

            Examples:
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 0-15 --grid grid.png
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 7,12 --out picks --scale 8
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 7 --truncation 0.7 --out picks
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 7 --directions 6 --grid directions.png
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 7 --edit 0:2.5,3:-1 --out picks
              atelier generate --run runs/00001-dcgan-kandinsky32 --seeds 7 --variation 1:0.4 --out picks
              atelier generate --run runs/00001-dcgan-kandinsky32 --interpolate 7,12 --frames 60 --out walk.gif
            """)
        {
            run, checkpoint, seeds, latent, grid, output, force, noEma, interpolate, frames, columns, klass, aspect, edit, listDirections, truncation, variation, scale, scaleFilter, device,
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
            bool overwrite = parse.GetValue(force);
            if (parse.GetValue(interpolate) is string pair)
                return Interpolate(context, generator, pair, parse.GetValue(frames), parse.GetValue(output), label, overwrite);
            if (parse.GetValue(listDirections) is int top)
                return Directions(context, generator, top, parse.GetValue(grid), SeedRange.Parse(seedText)[0], overwrite);
            var (enlarge, filter) = Checked(() => GenerationRecipe.CheckScale(parse.GetValue(scale), parse.GetValue(scaleFilter)!));
            int? scaleBy = enlarge == 1 ? null : enlarge;
            string? scaleWith = enlarge == 1 || filter == "nearest" ? null : filter;
            var edits = parse.GetValue(edit) is string editText ? LatentDirections.FormatEdits(LatentDirections.ParseEdits(editText)) : null;
            double? psi = parse.GetValue(truncation) is string psiText ? LatentShape.ParseTruncation(psiText) : null;
            string? jitter = parse.GetValue(variation) is string jitterText ? LatentShape.FormatVariation(LatentShape.ParseVariation(jitterText)) : null;
            var seedList = SeedRange.Parse(seedText);
            if (parse.GetValue(columns) is < 0 or > 1024) throw new UsageException($"--columns: {parse.GetValue(columns)} is outside 0..1024 (0 = square).");
            var gridPath = parse.GetValue(grid);
            var folder = parse.GetValue(output);
            // Neither given: one PNG per seed in a folder named after the run, beside where the command runs.
            folder ??= gridPath is null ? Path.Combine(context.WorkingDirectory, "generated", RunName(checkpointPath)) : null;
            if (parse.GetValue(aspect) is string ratio) AspectCrop.Parse(ratio);
            if (gridPath is not null && seedList.Count > 1024) throw new UsageException($"--seeds: a grid holds at most 1024 images, not {seedList.Count}; use --out for more.");
            GenerationRecipe Recipe(GenerationKind kind, string seedsOf, int cols) =>
                new(kind, seedsOf, cols, label, parse.GetValue(aspect), !parse.GetValue(noEma), edits, psi, jitter, given, scaleBy, scaleWith);
            var singles = folder is null ? [] : seedList.Select(seed => (Path: Path.Combine(folder, FileName(Recipe(GenerationKind.SingleImage, Inv(seed), 0), seed)), Seed: seed)).ToList();
            RefuseOverwrite(gridPath is null ? singles.Select(x => x.Path) : singles.Select(x => x.Path).Prepend(gridPath), overwrite, gridPath is null ? "--out" : "--grid");
            if (gridPath is not null)
            {
                var recipe = Recipe(GenerationKind.Grid, seedText, parse.GetValue(columns));
                AtomicFile.WriteAllBytes(gridPath, Checked(() => recipe.Render(generator)));
                context.Console.MarkupLine($"wrote [bold]{Markup.Escape(gridPath)}[/] ({seedList.Count} images from {Markup.Escape(checkpointPath)})");
            }
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
                foreach (var (path, seed) in singles)
                    AtomicFile.WriteAllBytes(path, Checked(() => Recipe(GenerationKind.SingleImage, Inv(seed), 0).Render(generator)));
                var first = Path.GetFileName(singles[0].Path);
                var shown = parse.GetValue(output) ?? Path.GetRelativePath(context.WorkingDirectory, folder);
                context.Console.MarkupLine($"wrote {seedList.Count} images to [bold]{Markup.Escape(shown)}[/] ({Markup.Escape(first)}{(singles.Count > 1 ? ", ..." : "")})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Lists the top SeFa directions; with a grid path, a sheet: one row per direction, seed moved from −3 to +3.</summary>
    private static int Directions(CliContext context, TrainedGenerator generator, int top, string? gridPath, long seed, bool overwrite)
    {
        if (top is < 1 or > 64) throw new UsageException($"--directions: {top} is outside 1..64.");
        if (gridPath is not null) RefuseOverwrite([gridPath], overwrite, "--grid");
        var (directions, eigenvalues) = generator.DirectionsWithStrength(top);
        var table = new Table().AddColumn("direction").AddColumn(new TableColumn("eigenvalue").RightAligned()).AddColumn(new TableColumn("share of these").RightAligned());
        double total = eigenvalues.Sum();
        for (int i = 0; i < directions.Length; i++)
            table.AddRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture), eigenvalues[i].ToString("F4", System.Globalization.CultureInfo.InvariantCulture), (eigenvalues[i] / total).ToString("P1", System.Globalization.CultureInfo.InvariantCulture));
        context.Console.Write(table);
        if (gridPath is not null)
        {
            // Written from its recipe, like every image generate writes, so that `atelier reproduce` renders it again.
            var recipe = new GenerationRecipe(GenerationKind.DirectionsSheet, Inv(seed), Average: generator.UsesAverage, Directions: top);
            AtomicFile.WriteAllBytes(gridPath, recipe.Render(generator));
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(gridPath)}[/] (rows: directions, columns: -3..3)");
        }
        return ExitCodes.Success;
    }

    private static int Interpolate(CliContext context, TrainedGenerator generator, string pair, int frames, string? output, int? label, bool overwrite)
    {
        var ends = SeedRange.Parse(pair, "--interpolate");
        if (ends.Count != 2) throw new UsageException($"--interpolate: give two seeds as a,b (got '{pair}').");
        if (output is null || !output.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("--out: give the GIF file to write, e.g. --out walk.gif.");
        RefuseOverwrite([output], overwrite, "--out");
        AtomicFile.WriteAllBytes(output, InterpolationGif.Render(generator, ends[0], ends[1], frames, label));
        context.Console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/] ({frames} frames from seed {ends[0]} to seed {ends[1]})");
        return ExitCodes.Success;
    }

    private static string Inv(long seed) => seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The run folder's name for a checkpoint path (runs/NAME/checkpoints/step-...).</summary>
    private static string RunName(string checkpointPath) => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(checkpointPath)))) ?? "run";

    /// <summary>
    /// A single image's file name says how it was made, so that pictures of one seed with different edits,
    /// truncation, variations or enlargement sit side by side: seed0007.png, seed0007-edit0=2.5,3=-1.png, seed0007-psi0.7-x8.png.
    /// </summary>
    internal static string FileName(GenerationRecipe recipe, long seed)
    {
        var name = new System.Text.StringBuilder($"seed{seed:D4}");
        if (recipe.Class is int c) name.Append("-class").Append(c);
        if (recipe.Latent is not null) name.Append("-latent");
        if (recipe.Edits is string e) name.Append("-edit").Append(e.Replace(':', '='));
        if (recipe.Truncation is double psi) name.Append("-psi").Append(psi.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (recipe.Variation is string v) name.Append("-var").Append(v.Replace(':', '='));
        if (recipe.Aspect is string a) name.Append("-aspect").Append(a.Replace(':', 'x'));
        if (!recipe.Average) name.Append("-raw");
        if (recipe.Scale is int s) name.Append("-x").Append(s).Append(recipe.ScaleFilter ?? "");
        return name.Append(".png").ToString();
    }

    /// <summary>Refuses, before anything is written, when a file to be written is already there and --force was not given.</summary>
    private static void RefuseOverwrite(IEnumerable<string> paths, bool overwrite, string flag)
    {
        if (overwrite) return;
        var there = paths.Where(File.Exists).ToList();
        if (there.Count == 0) return;
        throw new UsageException($"{flag}: {there[0]} is already there{(there.Count > 1 ? $" (and {there.Count - 1} more of the files to write)" : "")}; " +
            "add --force to overwrite, or choose another place. Nothing was written.");
    }

    private static T Checked<T>(Func<T> make)
    {
        try
        {
            return make();
        }
        catch (ArgumentException e) when (e.Message.StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException(e.Message);
        }
    }
}

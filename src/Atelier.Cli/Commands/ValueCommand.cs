using System.CommandLine;
using System.Globalization;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Sampling;
using Atelier.Valuation;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier value fit | predict | example`: learn what a collection's values depend on, and curate by it.</summary>
internal static class ValueCommand
{
    /// <summary>Most images one predict command scores.</summary>
    public const int MaxImages = 10_000;

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"];
    private static readonly string[] GroupLikeColumns = ["artist", "group", "series", "collection", "author", "maker"];

    public static Command Create(CliContext context)
    {
        var command = new Command("value", """
            Predict the value of works (a price, a rating, likes, or yes/no such as sold) from their pictures, validated
            honestly: cross-validation against the baseline, grouped by artist when asked, with conformal intervals.

            Examples:
              atelier value example --kind shapes --out works
              atelier value fit --data works/works.csv --out value-model
              atelier value fit --data sales.csv --target price --log --group artist --out value-model
              atelier value predict --model value-model new-work.png sketches/
              atelier value explain --model value-model new-work.png --out explained
              atelier value predict --model value-model --run runs/00001-fastgan-art64 --seeds 0-199 --grid best-of.png
            """)
        {
            Fit(context), Predict(context), Explain(context), Example(context),
        };
        return command;
    }

    private static Command Fit(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A CSV with a column of image files (image, file, path or filename; relative to the CSV's folder) and the value to learn.", Required = true };
        var target = new Option<string?>("--target") { Description = "The column to learn (default: the only column besides the image and group). Numbers, or yes/no, true/false, 1/0 for a classifier." };
        var log = new Option<bool>("--log") { Description = "Fit ln(value): for prices and counts, whose errors grow with their size." };
        var group = new Option<string?>("--group") { Description = "A column of artists or series: validation keeps each group in one fold, so no artist's works are on both sides." };
        var features = new Option<string>("--features") { Description = "resnet18+descriptors (default), descriptors (every weight readable; no network) or resnet18.", DefaultValueFactory = _ => "resnet18+descriptors" };
        var folds = new Option<int>("--folds") { Description = "k of the k-fold cross-validation.", DefaultValueFactory = _ => 5 };
        var coverage = new Option<double>("--coverage") { Description = "Coverage of the conformal prediction intervals.", DefaultValueFactory = _ => 0.9 };
        var seed = new Option<long>("--seed") { Description = "Seed of the folds and permutations.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder for the model (value-model.json, training-features.f32, validation.csv).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a model already in --out." };
        var command = new Command("fit", "Fit a value model to a CSV of works and print its cross-validation against the baseline.")
        {
            data, target, log, group, features, folds, coverage, seed, output, force,
        };
        command.SetAction(parse =>
        {
            var set = EnumText.Parse<ValueFeatureSet>(parse.GetValue(features)!, "--features", "feature set");
            var options = new ValueFitOptions(parse.GetValue(folds), parse.GetValue(coverage), parse.GetValue(seed));
            options.Validate();
            var outDir = parse.GetValue(output)!;
            ValueModel.RefuseExisting(outDir, parse.GetValue(force));
            var csvPath = parse.GetValue(data)!;
            var table = WorksTable.Read(csvPath, parse.GetValue(target), parse.GetValue(group), parse.GetValue(log));
            bool fitLog = parse.GetValue(log) && !table.IsYesNo;
            var console = context.Console;
            console.MarkupLine(Markup.Escape($"{table.Works.Count} works from {csvPath}; learning '{table.TargetColumn}' ({(table.IsYesNo ? "yes/no: logistic regression" : fitLog ? "ln(value): ridge regression" : "ridge regression")}) from {EnumText.Name(set)}"));
            if (table.GroupColumn is null && table.Columns.FirstOrDefault(c => GroupLikeColumns.Contains(c.ToLowerInvariant())) is { } likely)
                context.Warn($"column '{likely}' looks like a group: works of one {likely} in both training and test folds leak what the model has seen. Add --group {likely} to validate on unseen {likely}s.");

            using var featureNetwork = new ValueFeatures(set);
            var fit = ValueFitter.Fit(table, featureNetwork, fitLog, options);
            Print(console, fit.Report);
            fit.Save(outDir, overwrite: parse.GetValue(force));
            console.MarkupLine(Markup.Escape($"wrote {outDir} ({ValueModel.FileName}, {ValueModel.FeaturesFileName}, {ValueModel.HeldOutFileName})"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The validation as a table per fold, the summaries, the intervals' coverage, the verdict and the descriptors that matter.</summary>
    internal static void Print(IAnsiConsole console, ValueReport report)
    {
        bool yesNo = report.Task == ValueModel.Classification;
        string F(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";
        void Line(string text) => console.MarkupLine(Markup.Escape(text));
        Line($"cross-validation: {report.Folds} folds{(report.GroupColumn is null ? " of works" : $" grouped by {report.GroupColumn} ({report.Groups} groups)")}; numbers on {report.Scale}");
        Line(yesNo
            ? "fold  works  AUC     baseline  log loss  baseline  accuracy  baseline"
            : "fold  works  R²      baseline  MAE       baseline  Spearman  interval ±  covered");
        foreach (var f in report.PerFold)
            Line(yesNo
                ? $"{f.Fold + 1,4}  {f.Rows,5}  {F(f.Score),-6}  {F(f.BaselineScore),-8}  {F(f.Error),-8}  {F(f.BaselineError),-8}  {F(f.Accuracy),-8}  {F(f.BaselineAccuracy)}"
                : $"{f.Fold + 1,4}  {f.Rows,5}  {F(f.Score),-6}  {F(f.BaselineScore),-8}  {F(f.Error),-8}  {F(f.BaselineError),-8}  {F(f.Spearman),-8}  {F(f.IntervalHalfWidth),-10}  {Percent(f.Coverage, 0)}");
        Line($"mean ± sd   {report.ScoreName} {report.Score.Format()} (baseline {report.BaselineScore.Format()}), {report.ErrorName} {report.Error.Format()} (baseline {report.BaselineError.Format()}), Spearman {report.Spearman.Format()}");
        Line($"pooled over all held-out works: {report.ScoreName} {F(report.PooledScore)} (baseline {F(report.PooledBaselineScore)})");
        if (!yesNo)
            Line($"{Percent(report.CoverageTarget, 0)} conformal intervals covered {Percent(report.CoverageObserved, 1)} of the {report.Rows} held-out works");
        Line($"verdict: {report.Verdict}");
        if (report.Importance.Count > 0)
        {
            Line($"descriptors that matter: rise in held-out {(yesNo ? "log loss" : "squared error")} when shuffled; weight per sd");
            foreach (var d in report.Importance.Take(6))
                Line($"  {d.Name,-22} +{F(d.ErrorIncrease),-9} weight {(d.Weight >= 0 ? "+" : "")}{F(d.Weight)}");
        }
    }

    private static Command Predict(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A folder written by atelier value fit.", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files or folders to score.", Arity = ArgumentArity.ZeroOrMore };
        var run = new Option<string?>("--run") { Description = "Score images a run's generator makes instead (with --seeds), and rank them." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "With --run: latest, best, a step or a checkpoint folder." };
        var seeds = new Option<string>("--seeds") { Description = "With --run: seeds to generate and rank, e.g. 0-199.", DefaultValueFactory = _ => "0-99" };
        var top = new Option<int>("--top") { Description = "With --run: how many of the best and of the worst the grid shows.", DefaultValueFactory = _ => 8 };
        var grid = new Option<string?>("--grid") { Description = "With --run: write the best and worst as a captioned grid PNG (top row best)." };
        var command = new Command("predict", "Predict the value of images, with intervals; or rank a run's generated images and show the best and worst.")
        {
            model, images, run, checkpoint, seeds, top, grid,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(model)!;
            var valueModel = ValueModel.Load(folder);
            var given = parse.GetValue(images) ?? [];
            var runPath = parse.GetValue(run);
            if (runPath is null == (given.Length == 0))
                throw new UsageException(runPath is null ? "give images or folders to score, or --run with --seeds." : "give either images or --run, not both.");
            using var features = new ValueFeatures(valueModel.FeatureSet());
            var console = context.Console;
            string what = valueModel.Task == ValueModel.Classification ? $"chance of {valueModel.Target}" : valueModel.Target;
            if (valueModel.Validation is { BeatsBaseline: false })
                context.Warn($"this model is no better than the baseline in its validation ({valueModel.Validation.Verdict}); its predictions mean nothing.");
            if (runPath is null)
            {
                var files = Files(given);
                var raw = features.OfFiles(files, files);
                int outside = 0;
                console.MarkupLine(Markup.Escape($"image  {what}{Interval(valueModel)}"));
                var predictions = valueModel.Predict(raw);
                for (int i = 0; i < files.Count; i++)
                {
                    var p = predictions[i];
                    if (p.OutsideDomain) outside++;
                    console.MarkupLine(Markup.Escape($"{files[i]}  {Describe(valueModel, p)}{(p.OutsideDomain ? "  (unlike every training work)" : "")}"));
                }
                if (outside > 0)
                    context.Warn($"{outside} of {files.Count} images are farther from every training work than any work was from the other folds' ({valueModel.DomainDistance:F3}): their predictions are guesses outside what the model was validated on.");
                return ExitCodes.Success;
            }
            return PredictRun(context, valueModel, features, runPath, parse.GetValue(checkpoint), SeedRange.Parse(parse.GetValue(seeds)!), parse.GetValue(top), parse.GetValue(grid), what);
        });
        return command;
    }

    private static int PredictRun(CliContext context, ValueModel model, ValueFeatures features, string run, string? checkpoint, IReadOnlyList<long> seeds, int top, string? gridPath, string what)
    {
        if (top < 1) throw new OptionException($"--top: {top}; give at least 1.");
        using var generator = TrainedGenerator.Load(TrainedGenerator.ResolveCheckpoint(run, checkpoint));
        var m = generator.Model;
        int size = m.Channels * m.Resolution * m.Resolution;
        var scored = new List<(long Seed, ValuePrediction Prediction)>();
        const int chunk = 64;
        for (int first = 0; first < seeds.Count; first += chunk)
        {
            var batch = seeds.Skip(first).Take(chunk).ToArray();
            var pixels = generator.Generate(batch);
            var bitmaps = batch.Select((_, i) => ImageCodec.FromPixels(pixels.AsSpan(i * size, size), m.Channels, m.Resolution, m.Resolution)).ToArray();
            try
            {
                var raw = features.Of(bitmaps);
                scored.AddRange(batch.Zip(model.Predict(raw)));
            }
            finally
            {
                foreach (var b in bitmaps) b.Dispose();
            }
        }
        var ranked = scored.OrderByDescending(s => s.Prediction.Value).ThenBy(s => s.Seed).ToList();
        var console = context.Console;
        int shown = Math.Min(top, ranked.Count);
        console.MarkupLine(Markup.Escape($"{ranked.Count} images of {run} ranked by predicted {what}{Interval(model)}"));
        for (int i = 0; i < shown; i++) console.MarkupLine(Markup.Escape($"best  {i + 1,3}  seed {ranked[i].Seed}  {Describe(model, ranked[i].Prediction)}"));
        for (int i = Math.Max(shown, ranked.Count - shown); i < ranked.Count; i++) console.MarkupLine(Markup.Escape($"worst {ranked.Count - i,3}  seed {ranked[i].Seed}  {Describe(model, ranked[i].Prediction)}"));
        int outside = ranked.Count(r => r.Prediction.OutsideDomain);
        if (outside > 0)
            context.Warn($"{outside} of {ranked.Count} generated images are unlike every training work (farther than {model.DomainDistance:F3}); their predictions are guesses.");
        if (gridPath is not null)
        {
            var picked = ranked.Take(shown).Concat(ranked.Skip(Math.Max(shown, ranked.Count - shown)).Reverse()).ToArray();
            var pixels = generator.Generate(picked.Select(p => p.Seed).ToArray());
            var captions = picked.Select(p => $"{p.Seed}: {Short(p.Prediction.Value)}").ToArray();
            int scale = Math.Max(1, 96 / m.Resolution);
            using var sheet = ImageGrid.Compose(pixels, picked.Length, m.Channels, m.Resolution, m.Resolution, new ImageGridOptions(Columns: shown, Scale: scale), captions);
            var text = generator.Provenance($"the {shown} best and worst of seeds {seeds[0]}…{seeds[^1]} by predicted {what} (value model {model.Csv}); top row best");
            AtomicFile.WriteAllBytes(gridPath, ImageCodec.EncodePng(sheet, text, DigitalSource.TrainedAlgorithmicMedia));
            console.MarkupLine(Markup.Escape($"wrote {gridPath} (top row: the {shown} best, best first; bottom row: the {Math.Max(0, picked.Length - shown)} worst, worst first)"));
        }
        return ExitCodes.Success;
    }

    private static Command Explain(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "A folder written by atelier value fit.", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files or folders to explain (none: the model alone).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out") { Description = "Folder for report.html and its pictures.", Required = true };
        var command = new Command("explain", "Write an HTML report of a value model: its validation, what its predictions depend on, and for each image its prediction, the descriptors' parts in it and where in the picture the network part looks.")
        {
            model, images, output,
        };
        command.SetAction(parse =>
        {
            var valueModel = ValueModel.Load(parse.GetValue(model)!);
            var given = parse.GetValue(images) ?? [];
            var files = given.Length == 0 ? [] : Files(given);
            if (files.Count > 100) throw new UsageException($"{files.Count} images; explain at most 100 at a time (each gets a saliency sheet).");
            using var features = new ValueFeatures(valueModel.FeatureSet());
            using var network = valueModel.FeatureSet() == ValueFeatureSet.Descriptors ? null : Models.Pretrained.ResNet18Network.Load();
            var bitmaps = new List<(string, SkiaSharp.SKBitmap)>();
            try
            {
                foreach (var file in files) bitmaps.Add((Path.GetFileName(file), ImageCodec.Decode(file)));
                var folder = parse.GetValue(output)!;
                var explained = ValueExplanation.Write(folder, valueModel, features, bitmaps, network);
                foreach (var e in explained)
                    context.Console.MarkupLine(Markup.Escape($"{e.Name}  {Describe(valueModel, e.Prediction)}  most: {string.Join(", ", e.Contributions.Take(3).Select(c => $"{c.Descriptor} {(c.Contribution >= 0 ? "+" : "")}{Short(c.Contribution)}"))}"));
                context.Console.MarkupLine(Markup.Escape($"wrote {Path.Combine(folder, ValueExplanation.ReportFile)}"));
            }
            finally
            {
                foreach (var (_, bitmap) in bitmaps) bitmap.Dispose();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Example(CliContext context)
    {
        var kind = new Option<string>("--kind") { Description = "shapes (value = 20·shapes + 3·mean radius + 100·saturation + noise σ 10), shuffled (the same works, values shuffled), artists (price set by the artist only) or sold (shapes as yes/no).", DefaultValueFactory = _ => "shapes" };
        var count = new Option<int>("--count") { Description = "How many works.", DefaultValueFactory = _ => 200 };
        var seed = new Option<long>("--seed") { Description = "Seed of the works and values.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder for images/ and works.csv.", Required = true };
        var command = new Command("example", "Write a test collection whose values are known, to see what value fit finds (and what it must not).")
        {
            kind, count, seed, output,
        };
        command.SetAction(parse =>
        {
            var which = EnumText.Parse<ValueExampleKind>(parse.GetValue(kind)!, "--kind", "collection");
            var csv = ValueExample.Write(parse.GetValue(output)!, which, parse.GetValue(count), parse.GetValue(seed));
            context.Console.MarkupLine(Markup.Escape($"wrote {parse.GetValue(count)} works and {csv}"));
            context.Console.MarkupLine(Markup.Escape($"try: atelier value fit --data {csv}{(which == ValueExampleKind.Artists ? " --log --group artist" : "")} --out {Path.Combine(parse.GetValue(output)!, "model")}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The images named: files as given, folders walked (regular image files only), at most <see cref="MaxImages"/>.</summary>
    private static List<string> Files(string[] given)
    {
        var files = new List<string>();
        foreach (var item in given)
        {
            if (Directory.Exists(item))
            {
                var (found, _) = Data.FolderWalk.Scan(Path.GetFullPath(item));
                files.AddRange(found.Where(f => ImageExtensions.Contains(f.Extension.ToLowerInvariant())).Select(f => f.FullName).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(item)) files.Add(item);
            else throw new UsageException($"'{item}' is neither an image file nor a folder.");
            if (files.Count > MaxImages) throw new UsageException($"more than {MaxImages} images; score a smaller folder at a time.");
        }
        if (files.Count == 0) throw new UsageException($"no images in {string.Join(", ", given)} (PNG, JPEG, WebP, GIF or BMP).");
        return files;
    }

    private static string Interval(ValueModel model) =>
        model.Task == ValueModel.Classification ? "" : $" [{Percent(model.Coverage, 0)} interval]";

    private static string Describe(ValueModel model, ValuePrediction p) =>
        model.Task == ValueModel.Classification
            ? Percent(p.Value, 1)
            : $"{Short(p.Value)} [{Short(p.Lower)}, {Short(p.Upper)}]";

    private static string Percent(double share, int decimals) => (100 * share).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static string Short(double v) => Math.Abs(v) >= 1000 ? v.ToString("F0", CultureInfo.InvariantCulture) : Math.Abs(v) >= 1 ? v.ToString("F1", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);
}

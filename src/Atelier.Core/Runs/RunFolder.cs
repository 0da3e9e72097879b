using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Training;

namespace Atelier.Runs;

/// <summary>
/// One training run on disk: runs/NNNNN-model-datasetRES/ holding options.json, metrics.jsonl, samples/,
/// checkpoints/ and plots/.
/// </summary>
public sealed partial class RunFolder
{
    /// <summary>The run at <paramref name="path"/> (not checked: use <see cref="Open"/> for an existing run, <see cref="CreateAt"/> or <see cref="CreateNumbered"/> for a new one).</summary>
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The run's folder, as an absolute path.</summary>
    public string Path { get; }

    /// <summary>options.json: the <see cref="TrainingOptions"/> of the run.</summary>
    public string OptionsFile => System.IO.Path.Combine(Path, "options.json");

    /// <summary>metrics.jsonl: one JSON line per logged step and event.</summary>
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>samples/: the sample grids, step-NNNNNN.png.</summary>
    public string SamplesDirectory => System.IO.Path.Combine(Path, "samples");

    /// <summary>plots/: loss and metric curves.</summary>
    public string PlotsDirectory => System.IO.Path.Combine(Path, "plots");

    /// <summary>checkpoints/: the saved steps, each with its manifest and weight files.</summary>
    public CheckpointStore Checkpoints => new(System.IO.Path.Combine(Path, "checkpoints"));

    /// <summary>How options.json and the models in checkpoints are written: camelCase, indented, the options flat.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new TrainingOptionsJson() },
    };

    /// <summary>A new numbered folder under <paramref name="root"/>.</summary>
    public static RunFolder CreateNumbered(string root, string model, string dataset, int resolution)
    {
        Directory.CreateDirectory(root);
        int next = Directory.EnumerateDirectories(root)
            .Select(d => RunNumber().Match(System.IO.Path.GetFileName(d)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max() + 1;
        return CreateAt(System.IO.Path.Combine(root, $"{next:D5}-{NameFor(model, dataset, resolution)}"));
    }

    /// <summary>
    /// A numbered run's name after its number: model, dataset and resolution ("dcgan-fashion-mnist28"). A manifest
    /// of images (a .txt file such as data audit's atelier-clean.txt) is named by the folder that holds it.
    /// </summary>
    public static string NameFor(string model, string dataset, int resolution) => $"{model}-{Slug(dataset)}{resolution}";

    /// <summary>A run in a folder the user named (--out); it must be empty or new.</summary>
    public static RunFolder CreateAt(string path)
    {
        if (File.Exists(path)) throw new OptionException($"--out: '{path}' is a file; give the folder the run should be created in.");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new OptionException($"--out: '{path}' already holds files; continue it with --resume {path} or choose a new folder.");
        Directory.CreateDirectory(path);
        var run = new RunFolder(path);
        Directory.CreateDirectory(run.SamplesDirectory);
        return run;
    }

    /// <summary>Opens an existing run (a run folder, or a checkpoint folder inside one).</summary>
    public static RunFolder Open(string path, string flag = "--run")
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(System.IO.Path.Combine(full, CheckpointStore.ManifestName)))
            full = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(full)!)!;
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{flag}: run folder '{path}' does not exist.");
        var run = new RunFolder(full);
        if (!File.Exists(run.OptionsFile))
            throw new OptionException($"{flag}: '{path}' is not an Atelier run (no options.json).");
        return run;
    }

    /// <summary>Writes options.json atomically (a temporary file, then a rename).</summary>
    public void SaveOptions(TrainingOptions options) => AtomicFile.WriteAllText(OptionsFile, JsonSerializer.Serialize(options, Json));

    /// <summary>Reads options.json.</summary>
    public TrainingOptions LoadOptions() =>
        JsonSerializer.Deserialize<TrainingOptions>(File.ReadAllText(OptionsFile), Json)
        ?? throw new InvalidDataException($"{OptionsFile}: empty options");

    /// <summary>The sample grid of <paramref name="step"/>.</summary>
    public string SamplePath(long step) => System.IO.Path.Combine(SamplesDirectory, $"step-{step:D6}.png");

    private static string Slug(string dataset)
    {
        var name = dataset.StartsWith("procedural:", StringComparison.Ordinal) ? dataset["procedural:".Length..] : dataset;
        name = name.TrimEnd('/', '\\');
        if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) name = System.IO.Path.GetDirectoryName(name) is { Length: > 0 } folder ? folder : name[..^4];
        name = System.IO.Path.GetFileName(name.TrimEnd('/', '\\'));
        name = name.Replace(":test", "-test", StringComparison.Ordinal);
        var slug = SlugInvalid().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "data" : slug[..Math.Min(slug.Length, 40)];
    }

    [GeneratedRegex(@"^(\d{5})-")]
    private static partial Regex RunNumber();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugInvalid();
}

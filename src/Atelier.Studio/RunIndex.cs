using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Platform;
using Atelier.Runs;

namespace Atelier.Studio;

/// <summary>The run folders directly inside the runs root; every name a client sends is resolved through <see cref="SafePath"/>.</summary>
public sealed class RunIndex(string root)
{
    private readonly ConcurrentDictionary<string, MetricsTail> _tails = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A run is live while its metrics were written this recently.</summary>
    public static TimeSpan LiveWindow { get; } = TimeSpan.FromSeconds(45);

    public IReadOnlyList<RunSummary> List()
    {
        if (!Directory.Exists(Root)) return [];
        var result = new List<RunSummary>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || !System.IO.File.Exists(Path.Combine(dir, "options.json"))) continue;
            if (SafePath.Resolve(Root, name) is null || !SafePath.IsInside(dir, Path.Combine(dir, "options.json"))) continue;
            try
            {
                result.Add(Summarise(new RunFolder(dir), name));
            }
            catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
            {
                // A run being created or damaged: leave it out of the list rather than fail the page.
            }
        }
        return result.OrderByDescending(r => r.Updated).ToList();
    }

    /// <summary>The run folder of <paramref name="name"/>, or a 404/400 that says why not.</summary>
    public RunFolder Open(string? name)
    {
        if (string.IsNullOrEmpty(name)) throw StudioRequestException.BadRequest("run: name a run (see /api/runs).");
        if (name.Contains('/') || SafePath.Resolve(Root, name) is not string path)
            throw StudioRequestException.BadRequest($"run: '{Clip(name)}' is not a run name (a folder directly inside the runs folder).");
        if (!System.IO.File.Exists(Path.Combine(path, "options.json"))) throw StudioRequestException.NotFound($"run: there is no run '{Clip(name)}' in {Root}.");
        var run = new RunFolder(path);
        Inside(run, run.OptionsFile);
        return run;
    }

    /// <summary>
    /// <paramref name="path"/>, checked to lie inside the run once links are followed: a link in a run that leads out of
    /// it (its options.json, samples/, a checkpoint folder) is refused with a 404 that says so, never served.
    /// </summary>
    public static string Inside(RunFolder run, string path)
    {
        if (!SafePath.IsInside(run.Path, path))
            throw StudioRequestException.NotFound($"'{Clip(Path.GetRelativePath(run.Path, path))}' of run '{Clip(Path.GetFileName(run.Path))}' is a link that leads out of the run; the Studio serves only what is inside it.");
        return path;
    }

    public RunSummary Summary(string name) => Summarise(Open(name), name);

    public static IReadOnlyList<CheckpointInfo> Checkpoints(RunFolder run)
    {
        var store = run.Checkpoints;
        var best = store.Best();
        return store.List().Where(c => SafePath.IsInside(run.Path, c.Path)).Select(c => new CheckpointInfo(Path.GetFileName(c.Path), c.Step, c.Path == best)).ToList();
    }

    /// <summary>Resolves a client's checkpoint choice (latest, best, a step, a folder name) to a folder of the run; 404 when none matches.</summary>
    public static string Checkpoint(RunFolder run, string? which)
    {
        try
        {
            return Inside(run, run.Checkpoints.Resolve(which, "checkpoint"));
        }
        catch (FileNotFoundException e)
        {
            throw StudioRequestException.NotFound(e.Message);
        }
    }

    /// <summary>Sample grids of past steps, oldest first: (step, file name).</summary>
    public static IReadOnlyList<(long Step, string File)> Samples(RunFolder run)
    {
        if (!Directory.Exists(run.SamplesDirectory) || !SafePath.IsInside(run.Path, run.SamplesDirectory)) return [];
        return Directory.EnumerateFiles(run.SamplesDirectory, "step-*.png")
            .Where(f => SafePath.IsInside(run.Path, f))
            .Select(f => Path.GetFileName(f))
            .Select(f => (Step: long.TryParse(f.AsSpan(5, f.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1, File: f))
            .Where(s => s.Step >= 0)
            .OrderBy(s => s.Step)
            .ToList();
    }

    /// <summary>A file under the run's samples or plots folder, by name only.</summary>
    public static string File(RunFolder run, string folder, string name)
    {
        var dir = folder switch
        {
            "samples" => run.SamplesDirectory,
            "plots" => run.PlotsDirectory,
            _ => throw StudioRequestException.BadRequest($"'{Clip(folder)}' is not samples or plots."),
        };
        if (name.Contains('/') || SafePath.Resolve(dir, name) is not string path || !name.EndsWith(".png", StringComparison.Ordinal))
            throw StudioRequestException.BadRequest($"'{Clip(name)}' is not a PNG name.");
        if (!System.IO.File.Exists(path)) throw StudioRequestException.NotFound($"the run has no {folder}/{Clip(name)}.");
        return Inside(run, path);
    }

    private RunSummary Summarise(RunFolder run, string name)
    {
        var options = run.LoadOptions();
        var digest = Digest(run.MetricsFile);
        var samples = Samples(run);
        var updated = System.IO.File.Exists(run.MetricsFile) ? System.IO.File.GetLastWriteTimeUtc(run.MetricsFile) : Directory.GetLastWriteTimeUtc(run.Path);
        // A run that has trained all its steps is done, even when `atelier evaluate` has just written to its log.
        bool live = DateTime.UtcNow - updated < LiveWindow && !digest.Stopped && digest.Step < options.Schedule.Steps;
        int checkpoints = Directory.Exists(run.Checkpoints.Directory) ? run.Checkpoints.List().Count : 0;
        return new RunSummary(name, options.Model.Architecture, options.Data, EnumText.Name(options.Game.Objective), options.Model.Resolution, options.Model.Channels, options.Preset,
            digest.Step, options.Schedule.Steps, digest.BestFid, samples.Count > 0 ? samples[^1].File : null, live,
            new DateTimeOffset(updated, TimeSpan.Zero), checkpoints, options.Model.Classes, EnumText.Name(options.Model.Discriminator),
            options.InitFrom is { } parent ? $"{ParentRun(parent.Checkpoint)} step {parent.Step}" : null,
            Models.ModelFamilies.All.FirstOrDefault(f => f.Name == options.Model.Architecture) is Models.Autoencoders.IAutoencoderFamily);
    }

    /// <summary>The run folder's name of a parent checkpoint (…/run/checkpoints/step-N → run).</summary>
    private static string ParentRun(string checkpoint) => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(checkpoint))) ?? checkpoint;

    /// <summary>Last step, best FID and whether training said it stopped, from the run's incrementally read log.</summary>
    public MetricsDigest Digest(string metricsFile) => Tail(metricsFile).Digest();

    /// <summary>The log of a run as far as it has been written (<see cref="MetricsTail"/>: new lines only, bounded memory).</summary>
    public MetricsTail Tail(string metricsFile) => _tails.GetOrAdd(Path.GetFullPath(metricsFile), f => new MetricsTail(f));

    internal static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;

    internal static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}


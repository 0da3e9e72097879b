using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atelier.Imaging;
using static TorchSharp.torch;

namespace Atelier.Runs;

/// <summary>
/// The checkpoints/ folder of a run. A checkpoint is written into a hidden temporary folder, every file
/// flushed to disk, the manifest (with each file's SHA-256) last, and then the folder is renamed into place:
/// a crash at any moment leaves the previous complete checkpoint as the latest.
/// </summary>
public sealed partial class CheckpointStore(string directory)
{
    public const string ManifestName = "manifest.json";
    public const string BestMarker = "best";

    public string Directory { get; } = directory;

    public string PathFor(long step) => Path.Combine(Directory, $"step-{step:D6}");

    /// <summary>Complete checkpoints (those with a manifest), oldest first.</summary>
    public IReadOnlyList<(long Step, string Path)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateDirectories(Directory)
            .Select(d => (Match: StepName().Match(Path.GetFileName(d)), Path: d))
            .Where(x => x.Match.Success && File.Exists(Path.Combine(x.Path, ManifestName)))
            .Select(x => (Step: long.TryParse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture, out var step) ? step : -1, x.Path))
            .Where(x => x.Step >= 0) // a name of more digits than a step can have is not a checkpoint
            .OrderBy(x => x.Item1)
            .ToList();
    }

    public string? Latest() => List().Select(x => x.Path).LastOrDefault();

    /// <summary>The latest checkpoint written while the run was healthy (<see cref="CheckpointManifest.Healthy"/>; older ones count as healthy).</summary>
    public string? LatestHealthy() => List().Select(x => x.Path).LastOrDefault(IsHealthy);

    private static bool IsHealthy(string checkpoint)
    {
        try
        {
            // The manifest only: a rollback's restore verifies the files of the one it picks, and pruning after each
            // checkpoint need not hash the files it has just written.
            return ReadManifest(checkpoint, verifyFiles: false).Healthy != false;
        }
        catch (IOException)
        {
            return false; // an unreadable manifest (CorruptCheckpointException is one): never a rollback's target
        }
    }

    /// <summary>The checkpoint marked best, if any.</summary>
    public string? Best()
    {
        var marker = Path.Combine(Directory, BestMarker);
        if (!File.Exists(marker)) return null;
        var path = Path.Combine(Directory, File.ReadAllText(marker).Trim());
        return File.Exists(Path.Combine(path, ManifestName)) ? path : null;
    }

    /// <summary>
    /// A complete checkpoint by a user's choice: latest, best, a step number, or a checkpoint folder name of this
    /// store (nothing else: a name can never lead outside it). Throws <see cref="FileNotFoundException"/> naming what
    /// exists when the choice matches nothing.
    /// </summary>
    public string Resolve(string? which, string flag = "--checkpoint")
    {
        which = string.IsNullOrEmpty(which) ? "latest" : which;
        var list = List();
        var run = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Directory)));
        if (list.Count == 0)
            throw new FileNotFoundException($"{flag}: run '{run}' has no complete checkpoint yet; one is written every --checkpoint-every steps and at the end.");
        string? path = which switch
        {
            "latest" => list[^1].Path,
            "best" => Best() ?? throw new FileNotFoundException($"{flag} best: run '{run}' has no checkpoint marked best (it needs --eval-every during training)."),
            _ when long.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out var step) => list.Where(c => c.Step == step).Select(c => c.Path).FirstOrDefault(),
            _ => list.Where(c => Path.GetFileName(c.Path) == which).Select(c => c.Path).FirstOrDefault(),
        };
        return path ?? throw new FileNotFoundException(
            $"{flag}: '{(which.Length <= 80 ? which : which[..80] + "…")}' is not latest, best or a checkpoint of run '{run}': {string.Join(", ", list.Select(c => Path.GetFileName(c.Path)))}.");
    }

    public void MarkBest(string checkpoint) =>
        AtomicFile.WriteAllText(Path.Combine(Directory, BestMarker), Path.GetFileName(checkpoint));

    /// <summary>Writes a checkpoint atomically. <paramref name="files"/> maps each part (<see cref="CheckpointFiles"/>) to its tensors.</summary>
    public string Write(long step, IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> files, Func<Dictionary<string, string>, CheckpointManifest> manifest)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var final = PathFor(step);
        var temp = Path.Combine(Directory, $".step-{step:D6}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (part, tensors) in files)
            {
                var name = CheckpointFiles.FileName(part);
                var path = Path.Combine(temp, name);
                BeforePartWrite?.Invoke(path);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    SafetensorsFormat.Write(stream, tensors);
                    stream.Flush(flushToDisk: true);
                }
                hashes[name] = Sha256(path);
            }
            var json = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest(hashes), RunFolder.Json));
            using (var stream = new FileStream(Path.Combine(temp, ManifestName), FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }
            using (var stream = new FileStream(Path.Combine(temp, SealName), FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json)) + "  " + ManifestName + "\n"));
                stream.Flush(flushToDisk: true);
            }
            if (System.IO.Directory.Exists(final))
            {
                // Re-writing the same step (a rollback replays it): move the old one aside first.
                var old = final + $".old-{Guid.NewGuid():N}";
                System.IO.Directory.Move(final, old);
                System.IO.Directory.Move(temp, final);
                System.IO.Directory.Delete(old, recursive: true);
            }
            else
            {
                System.IO.Directory.Move(temp, final);
            }
            return final;
        }
        catch (IOException e) when (e is not CheckpointWriteException)
        {
            long needed = files.Values.Sum(part => part.Values.Sum(t => t.NumberOfElements * t.ElementSize)) + (1 << 16);
            var free = FreeBytes(Directory);
            throw new CheckpointWriteException(
                $"{Directory}: the checkpoint of step {step} could not be written ({e.Message}). A checkpoint of this run needs about {needed / 1e6:F1} MB" +
                (free is long f ? $"; {f / 1e6:F1} MB are free there" : "") +
                ". The earlier checkpoints are intact and training has stopped; free some space (or lower --keep-checkpoints) and continue with --resume.", e);
        }
        finally
        {
            try
            {
                if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // Left for the next write's clean-up: a folder starting with '.' is never taken for a checkpoint.
            }
        }
    }

    /// <summary>Test hook: runs before each part of a checkpoint is written (a fault harness throws from it).</summary>
    internal static Action<string>? BeforePartWrite { get; set; }

    private static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads and verifies a checkpoint's manifest; names the folder when something is wrong.</summary>
    public static CheckpointManifest ReadManifest(string checkpoint, bool verifyFiles = true)
    {
        var path = Path.Combine(checkpoint, ManifestName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{checkpoint}: no {ManifestName}; not a complete checkpoint.");
        if (verifyFiles)
        {
            // The seal binds the manifest itself, as the manifest binds the weight files (checkpoints written before it have none).
            var seal = Path.Combine(checkpoint, SealName);
            if (File.Exists(seal))
            {
                var text = File.ReadAllText(seal);
                if (text.Length < 64 || !text[..64].Equals(Sha256(path), StringComparison.Ordinal))
                    throw new CorruptCheckpointException($"{checkpoint}: {ManifestName} does not match its SHA-256 in {SealName} (edited or corrupted).");
            }
        }
        CheckpointManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), RunFolder.Json)
                ?? throw new CorruptCheckpointException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"{path}: unreadable manifest ({e.Message})");
        }
        if (manifest.Format != CheckpointManifest.FormatName || manifest.FormatVersion > CheckpointManifest.CurrentFormatVersion)
            throw new CorruptCheckpointException($"{path}: format {manifest.Format} v{manifest.FormatVersion} is not one this Atelier reads (v{CheckpointManifest.CurrentFormatVersion}).");
        // The folder's name and the manifest's step must agree: an edited step would resume from the wrong place.
        if (StepName().Match(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpoint)))) is { Success: true } named
            && (!long.TryParse(named.Groups[1].Value, CultureInfo.InvariantCulture, out var folderStep) || folderStep != manifest.Step))
            throw new CorruptCheckpointException($"{path}: says step {manifest.Step}, but its folder is {Path.GetFileName(Path.TrimEndingDirectorySeparator(checkpoint))}; the manifest was edited or moved.");
        if (verifyFiles)
        {
            foreach (var (name, hash) in manifest.Files)
            {
                var file = Path.Combine(checkpoint, name);
                if (!File.Exists(file)) throw new CorruptCheckpointException($"{checkpoint}: {name} is missing.");
                if (Sha256(file) != hash) throw new CorruptCheckpointException($"{checkpoint}: {name} does not match its SHA-256 in the manifest (corrupted).");
            }
        }
        return manifest;
    }

    /// <summary>The tensors of one part (<see cref="CheckpointFiles"/>) of a checkpoint, in either format.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string checkpoint, string part) => CheckpointFiles.Read(checkpoint, part);

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints, never the best; cleans crash leftovers.</summary>
    public void Prune(int keep, bool keepLatestHealthy = false)
    {
        var best = Best();
        var healthy = keepLatestHealthy ? LatestHealthy() : null;
        var all = List();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keep)))
        {
            if (best is not null && Path.GetFullPath(path) == Path.GetFullPath(best)) continue;
            if (healthy is not null && Path.GetFullPath(path) == Path.GetFullPath(healthy)) continue; // what a rollback goes back to
            System.IO.Directory.Delete(path, recursive: true);
        }
        foreach (var leftover in System.IO.Directory.EnumerateDirectories(Directory, ".step-*.tmp"))
        {
            try
            {
                System.IO.Directory.Delete(leftover, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Deletes checkpoints after <paramref name="step"/> (a resumed or rolled-back run replaces them).</summary>
    public void DeleteAfter(long step)
    {
        foreach (var (s, path) in List().Where(x => x.Step > step)) System.IO.Directory.Delete(path, recursive: true);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The manifest's own SHA-256, in sha256sum's format: a manifest edited by hand is refused.</summary>
    public const string SealName = "manifest.sha256";

    /// <summary>Test and repair hook: writes the seal of a manifest as it is now (after a deliberate edit).</summary>
    internal static void Reseal(string checkpoint) =>
        File.WriteAllText(Path.Combine(checkpoint, SealName), Sha256(Path.Combine(checkpoint, ManifestName)) + "  " + ManifestName + "\n");

    [GeneratedRegex(@"^step-(\d{6,})$")]
    private static partial Regex StepName();
}

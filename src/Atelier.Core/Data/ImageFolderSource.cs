using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Atelier.Imaging;

namespace Atelier.Data;

/// <summary>
/// Any folder of images, searched recursively: decoded once, fitted to the training resolution and cached as
/// one compact file keyed by a fingerprint of the folder (paths, sizes, mtimes) and the preprocessing options.
/// </summary>
public static class ImageFolderSource
{
    private const uint CacheMagic = 0x434C5441; // "ATLC"
    private const int CacheVersion = 3;

    /// <summary>Opens a folder, from the cache when its fingerprint matches. <paramref name="warn"/> gets one line per skipped file.</summary>
    public static ImageSet Open(string folder, ImageFolderOptions options, string cacheDirectory, Action<string>? warn = null)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DatasetNotFoundException($"--data: folder '{folder}' does not exist.");
        var (files, skipped) = Scan(root);
        return OpenFiles(root, Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), files, skipped, options, cacheDirectory, warn, folder);
    }

    /// <summary>
    /// Opens the images a manifest lists (one path per line, relative to the manifest's folder; '#' starts a
    /// comment), as `data audit --fix` writes it. Entries outside that folder or missing are skipped with a reason.
    /// </summary>
    public static ImageSet OpenManifest(string manifest, ImageFolderOptions options, string cacheDirectory, Action<string>? warn = null)
    {
        var full = Path.GetFullPath(manifest);
        var root = Path.GetDirectoryName(full)!;
        var files = new List<FileInfo>();
        var skipped = new List<SkippedFile>();
        foreach (var raw in File.ReadLines(full))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var path = Path.GetFullPath(Path.Combine(root, line));
            var info = new FileInfo(path);
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) skipped.Add(new SkippedFile(line, "outside the manifest's folder"));
            else if (!info.Exists) skipped.Add(new SkippedFile(line, "listed in the manifest but missing"));
            else if (info.LinkTarget is not null) skipped.Add(new SkippedFile(line, "a link; the manifest lists only regular files"));
            else if (info.Length == 0) skipped.Add(new SkippedFile(line, FolderWalk.NotRegular));
            else files.Add(info);
        }
        files.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
        return OpenFiles(root, Path.GetFileNameWithoutExtension(full), files, skipped, options, cacheDirectory, warn, manifest);
    }

    private static ImageSet OpenFiles(string root, string name, List<FileInfo> files, List<SkippedFile> skipped, ImageFolderOptions options,
        string cacheDirectory, Action<string>? warn, string folder)
    {
        var fingerprint = Fingerprint(root, files, skipped, options);
        var realRoot = FolderWalk.RealPath(root);
        var cachePath = CacheFile(cacheDirectory, realRoot, fingerprint, ContentDigest(files));
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = ReadCache(cachePath, name, realRoot);
                foreach (var s in cached.Skipped) warn?.Invoke($"skipped {s.Path}: {s.Reason}");
                return cached;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
            {
                warn?.Invoke($"cache {cachePath} is unreadable ({e.Message}); decoding the folder again");
            }
        }
        var set = Decode(root, name, files, skipped, options, fingerprint);
        foreach (var s in set.Skipped) warn?.Invoke($"skipped {s.Path}: {s.Reason}");
        if (set.Count == 0)
            throw new DatasetNotFoundException($"--data: no usable images in folder '{folder}' ({set.Skipped.Count} files skipped).");
        WriteCache(cachePath, set, realRoot);
        return set;
    }

    /// <summary>
    /// The cache file of a folder: named by its real path (links resolved), its fingerprint and the SHA-256 of every
    /// file's bytes, so two folders whose files share names, sizes and times never share an entry, and a file rewritten
    /// with its old size and time is decoded again. The path is also stored inside and checked on a hit.
    /// </summary>
    private static string CacheFile(string cacheDirectory, string realRoot, string fingerprint, string content)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"{realRoot}\n{fingerprint}\n{content}\ncache {CacheVersion}"));
        return Path.Combine(cacheDirectory, "folders", Convert.ToHexStringLower(key)[..32] + ".atlc");
    }

    /// <summary>SHA-256 over the files' own SHA-256s, in order (read in parallel; about a second per gigabyte).</summary>
    private static string ContentDigest(List<FileInfo> files)
    {
        var hashes = new string[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                using var stream = new FileStream(files[i].FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                hashes[i] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                hashes[i] = "unreadable"; // the decode names it; the key only has to differ from a readable file's
            }
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', hashes))));
    }

    /// <summary>The cache file a folder would use (for tests and `data info`).</summary>
    public static string CachePath(string folder, ImageFolderOptions options, string cacheDirectory)
    {
        var root = Path.GetFullPath(folder);
        var (files, skipped) = Scan(root);
        return CacheFile(cacheDirectory, FolderWalk.RealPath(root), Fingerprint(root, files, skipped, options), ContentDigest(files));
    }

    /// <summary>The files to read under root and what was left out: <see cref="FolderWalk"/>.</summary>
    private static (List<FileInfo> Files, List<SkippedFile> Skipped) Scan(string root) => FolderWalk.Scan(root);

    /// <summary>
    /// The cache key: the options, each file's relative path, size and time, and what the walk left out (so that a
    /// cached set never reports the skipped entries of an earlier walk; a folder with none keeps the key it always had).
    /// </summary>
    private static string Fingerprint(string root, List<FileInfo> files, List<SkippedFile> walkSkipped, ImageFolderOptions options)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(options.CacheKey + "\n"));
        foreach (var f in files)
        {
            var relative = Path.GetRelativePath(root, f.FullName);
            sha.AppendData(Encoding.UTF8.GetBytes($"{relative}\t{f.Length}\t{f.LastWriteTimeUtc.Ticks}\n"));
        }
        foreach (var s in walkSkipped)
            sha.AppendData(Encoding.UTF8.GetBytes($"skipped\t{(Path.IsPathRooted(s.Path) ? Path.GetRelativePath(root, s.Path) : s.Path)}\t{s.Reason}\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..24];
    }

    private static ImageSet Decode(string root, string name, List<FileInfo> files, List<SkippedFile> scanSkipped,
        ImageFolderOptions options, string fingerprint)
    {
        int bytesPer = options.Channels * options.Resolution * options.Resolution;
        var decoded = new byte[files.Count][];
        var sizes = new (int W, int H)[files.Count];
        var turned = new bool[files.Count];
        var errors = new ConcurrentDictionary<int, string>();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                decoded[i] = ImageCodec.LoadBytes(files[i].FullName, options.Resolution, options.Channels, options.Fit, options.BackgroundColor, options.Limits, out int w, out int h, out turned[i]);
                sizes[i] = (w, h);
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e.Reason;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors[i] = e.Message;
            }
        });
        var skipped = new List<SkippedFile>(scanSkipped);
        var classNames = new List<string>();
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<int>();
        var regions = new List<ImageRegion>();
        using var pixels = new MemoryStream();
        for (int i = 0; i < files.Count; i++)
        {
            if (decoded[i] is null)
            {
                skipped.Add(new SkippedFile(files[i].FullName, errors.GetValueOrDefault(i, "could not be decoded")));
                continue;
            }
            if (options.FolderLabels)
            {
                var relative = Path.GetRelativePath(root, files[i].FullName);
                int sep = relative.IndexOf(Path.DirectorySeparatorChar);
                var cls = sep > 0 ? relative[..sep] : "(root)";
                if (!classIndex.TryGetValue(cls, out var id))
                {
                    id = classNames.Count;
                    classIndex[cls] = id;
                    classNames.Add(cls);
                }
                labels.Add(id);
            }
            regions.Add(ImageCodec.LetterboxRegion(sizes[i].W, sizes[i].H, options.Resolution));
            pixels.Write(decoded[i]);
        }
        int count = (int)(pixels.Length / bytesPer);
        // Pictures turned upright by their EXIF orientation are other pixels than earlier versions decoded: their
        // folder gets another fingerprint (so a run started on the sideways pixels is not resumed on upright ones).
        // A folder with none keeps the fingerprint it always had.
        int upright = turned.Count(t => t);
        if (upright > 0) fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fingerprint}|exif-oriented {upright}")))[..24];
        return new ImageSet(name, pixels.ToArray(), count, options.Channels, options.Resolution,
            options.FolderLabels ? labels.ToArray() : null, options.FolderLabels ? classNames : null, $"folder-{fingerprint}", skipped,
            options.Fit == ImageFit.Letterbox ? regions.ToArray() : null);
    }

    private static void WriteCache(string path, ImageSet set, string realRoot)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(CacheMagic);
            w.Write(CacheVersion);
            w.Write(realRoot);
            w.Write(set.Fingerprint);
            w.Write(set.Count);
            w.Write(set.Channels);
            w.Write(set.Resolution);
            w.Write(set.Classes?.Count ?? -1);
            foreach (var c in set.Classes ?? []) w.Write(c);
            if (set.Labels is not null) foreach (var l in set.Labels) w.Write(l);
            w.Write(set.Skipped.Count);
            foreach (var s in set.Skipped)
            {
                w.Write(s.Path);
                w.Write(s.Reason);
            }
            w.Write(set.Regions is not null);
            foreach (var g in set.Regions ?? [])
            {
                w.Write(g.X0);
                w.Write(g.Y0);
                w.Write(g.X1);
                w.Write(g.Y1);
            }
            w.Write(set.Pixels);
        });
    }

    private static ImageSet ReadCache(string path, string name, string realRoot)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (r.ReadUInt32() != CacheMagic) throw new InvalidDataException("not an Atelier folder cache");
        if (r.ReadInt32() is var version && version != CacheVersion)
            throw new InvalidDataException($"written in cache format {version} by another version of Atelier; this one reads format {CacheVersion}");
        if (r.ReadString() is var cachedRoot && cachedRoot != realRoot)
            throw new InvalidDataException($"it holds the folder '{cachedRoot}', not '{realRoot}'");
        var fingerprint = r.ReadString();
        int count = r.ReadInt32(), channels = r.ReadInt32(), resolution = r.ReadInt32(), classCount = r.ReadInt32();
        List<string>? classes = classCount < 0 ? null : Enumerable.Range(0, classCount).Select(_ => r.ReadString()).ToList();
        int[]? labels = classes is null ? null : Enumerable.Range(0, count).Select(_ => r.ReadInt32()).ToArray();
        int skippedCount = r.ReadInt32();
        var skipped = Enumerable.Range(0, skippedCount).Select(_ => new SkippedFile(r.ReadString(), r.ReadString())).ToList();
        ImageRegion[]? regions = r.ReadBoolean()
            ? Enumerable.Range(0, count).Select(_ => new ImageRegion(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32())).ToArray()
            : null;
        var pixels = r.ReadBytes(count * channels * resolution * resolution);
        if (pixels.Length != count * channels * resolution * resolution) throw new EndOfStreamException("cache is truncated");
        return new ImageSet(name, pixels, count, channels, resolution, labels, classes, fingerprint, skipped, regions);
    }
}

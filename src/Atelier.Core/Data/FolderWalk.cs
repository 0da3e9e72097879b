namespace Atelier.Data;

/// <summary>
/// The one walk of an image folder that training, previews, <c>data info</c> and <c>data audit</c> share. It returns
/// the files to read, sorted (ordinal), and every entry it leaves out with the reason; one bad entry never makes the
/// folder unusable. Hidden entries (a leading '.') are ignored. Links to folders are never followed (one inside the
/// folder is visited as itself, so a loop such as <c>sub/up -&gt; ..</c> costs nothing); a link to a file is read when
/// its final target is a regular file inside the folder. Only regular, non-empty files are kept: a FIFO, socket or
/// device (whose size reads as 0) would block or never end a read. Names that are not valid UTF-8 cannot be opened
/// by .NET and are named so the user can rename them. The walk stops at <see cref="MaxFiles"/> files and
/// <see cref="MaxFolders"/> folders, saying so.
/// </summary>
public static class FolderWalk
{
    public const int MaxFiles = 1_000_000;

    public const int MaxFolders = 100_000;

    public const string NotRegular = "empty, or not a regular file (a FIFO, socket or device is never read)";

    /// <summary>
    /// <paramref name="path"/> (a full path) with every symbolic link along it resolved, as realpath(3) gives it: two
    /// names of one folder give one answer, two folders never do. A component that cannot be resolved is kept as written.
    /// </summary>
    public static string RealPath(string path) => RealPath(path, hops: 0);

    private static string RealPath(string path, int hops)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            // 40: the kernel's own limit on the links of one lookup; beyond it (a loop) the name is kept as written.
            if (info.LinkTarget is { } target && hops < 40)
                current = RealPath(Path.GetFullPath(target, Path.GetDirectoryName(current)!), hops + 1);
        }
        return current;
    }

    /// <summary>Walks <paramref name="root"/> (a full path); skipped entries carry full paths.</summary>
    public static (List<FileInfo> Files, List<SkippedFile> Skipped) Scan(string root)
    {
        var files = new List<FileInfo>();
        var skipped = new List<SkippedFile>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        int folders = 0;
        var rootPrefix = root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (++folders > MaxFolders)
            {
                skipped.Add(new SkippedFile(dir.FullName, $"not walked: the folder has more than {MaxFolders} subfolders"));
                break;
            }
            List<FileSystemInfo> entries;
            try
            {
                entries = dir.EnumerateFileSystemInfos().ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedFile(dir.FullName, $"unreadable folder ({e.Message})"));
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry.Name.StartsWith('.')) continue;
                if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    skipped.Add(new SkippedFile(entry.FullName, "its name is not valid UTF-8 and cannot be opened; rename it"));
                    continue;
                }
                try
                {
                    if (Classify(entry, rootPrefix) is string reason)
                    {
                        skipped.Add(new SkippedFile(entry.FullName, reason));
                        continue;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // ELOOP: a link that leads back to itself; or an entry that vanished or cannot be read mid-walk.
                    skipped.Add(new SkippedFile(entry.FullName, e.Message.Contains("symbolic links", StringComparison.OrdinalIgnoreCase)
                        ? "a loop of symbolic links" : $"unreadable ({e.Message})"));
                    continue;
                }
                if (entry.LinkTarget is null && entry is DirectoryInfo sub) pending.Push(sub);
                else if (entry is FileInfo file)
                {
                    if (files.Count == MaxFiles)
                    {
                        skipped.Add(new SkippedFile(dir.FullName, $"not all read: the folder has more than {MaxFiles} files"));
                        pending.Clear();
                        break;
                    }
                    files.Add(file);
                }
            }
        }
        files.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
        return (files, skipped);
    }

    /// <summary>Why an entry is left out, or null to keep it (a folder to walk or a file to read).</summary>
    private static string? Classify(FileSystemInfo entry, string rootPrefix)
    {
        if (entry.LinkTarget is not null)
        {
            var target = entry.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists) return "broken symbolic link";
            if (!target.FullName.StartsWith(rootPrefix, StringComparison.Ordinal) && target.FullName != rootPrefix.TrimEnd(Path.DirectorySeparatorChar))
                return $"symbolic link to {target.FullName}, outside the folder";
            if (target is DirectoryInfo) return "a link to a folder of this folder (its images are read there, once)";
            return target is FileInfo { Length: > 0 } ? null : NotRegular;
        }
        return entry is FileInfo { Length: 0 } ? NotRegular : null;
    }
}

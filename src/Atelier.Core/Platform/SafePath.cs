namespace Atelier.Platform;

/// <summary>
/// Resolves a name a client sent (a run, a checkpoint, an image) inside a root folder, refusing anything that would
/// reach outside it: "..", absolute paths, encoded separators, NUL, and links whose target leaves the root.
/// </summary>
public static class SafePath
{
    /// <returns>The full path inside <paramref name="root"/>, or null when the name is not allowed.</returns>
    public static string? Resolve(string root, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255) return null;
        if (name.Contains('\0') || name.Contains('%') || name.Contains('\\') || name.StartsWith('/') || name.StartsWith('~')) return null;
        var parts = name.Split('/');
        if (parts.Any(p => p.Length == 0 || p == "." || p == "..")) return null;
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var full = Path.GetFullPath(Path.Combine(fullRoot, Path.Combine(parts)));
        if (!full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        // Every existing component must stay inside the root after following links.
        var realRoot = Data.FolderWalk.RealPath(fullRoot);
        var current = fullRoot;
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            if (!File.Exists(current) && !Directory.Exists(current)) break;
            var real = Data.FolderWalk.RealPath(current);
            if (real != realRoot && !real.StartsWith(realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        }
        return full;
    }

    /// <summary>
    /// True when <paramref name="path"/> (which need not exist) is <paramref name="root"/> or inside it once every link
    /// along it is followed: a link inside a run that points out of it is not inside.
    /// </summary>
    public static bool IsInside(string root, string path)
    {
        var realRoot = Data.FolderWalk.RealPath(root);
        var real = Data.FolderWalk.RealPath(path);
        return real == realRoot || real.StartsWith(realRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}

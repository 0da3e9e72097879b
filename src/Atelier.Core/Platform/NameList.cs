namespace Atelier.Platform;

/// <summary>Comma-separated choices from a known set, e.g. --metrics fid,kid.</summary>
public static class NameList
{
    /// <summary>Lower-cased, de-duplicated names in order; throws naming <paramref name="flag"/> for unknown or no names.</summary>
    public static IReadOnlyList<string> Parse(string text, IReadOnlyList<string> known, string flag)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        var unknown = names.Except(known).ToList();
        if (names.Count == 0 || unknown.Count > 0)
            throw new OptionException($"{flag}: {(unknown.Count > 0 ? $"unknown '{string.Join(", ", unknown)}'" : "none given")}; choose from {string.Join(", ", known)}.");
        return names;
    }
}

namespace Atelier.Data;

/// <summary>What `atelier data audit` found.</summary>
public sealed record AuditResult(string Root, IReadOnlyList<AuditedImage> Images, IReadOnlyList<SkippedFile> Unreadable,
    IReadOnlyList<IReadOnlyList<AuditedImage>> ExactDuplicates, IReadOnlyList<IReadOnlyList<AuditedImage>> NearDuplicates, int Threshold)
{
    /// <summary>Images a clean manifest keeps: every readable image except the later members of each duplicate group.</summary>
    public IReadOnlyList<AuditedImage> Kept()
    {
        var dropped = ExactDuplicates.Concat(NearDuplicates).SelectMany(g => g.Skip(1)).Select(i => i.Path).ToHashSet(StringComparer.Ordinal);
        return Images.Where(i => !dropped.Contains(i.Path)).ToList();
    }

    public IReadOnlyDictionary<string, int> Classes() =>
        Images.Where(i => i.Class is not null).GroupBy(i => i.Class!).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}

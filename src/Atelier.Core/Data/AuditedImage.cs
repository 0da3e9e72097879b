namespace Atelier.Data;

/// <summary>One readable image of an audited folder.</summary>
/// <param name="Path">Path relative to the audited folder, with '/' separators.</param>
/// <param name="Mode">grey, grey+alpha, RGB or RGBA, from the decoded pixels.</param>
/// <param name="Hash">SHA-256 of the file's bytes (exact duplicates).</param>
/// <param name="PerceptualHash">256-bit difference hash of a 17×16 grey thumbnail (near duplicates: same structure).</param>
/// <param name="Colours">A 4×4 RGB thumbnail (near duplicates must also have similar colours).</param>
/// <param name="Class">The first subfolder, or null for files at the top.</param>
public sealed record AuditedImage(string Path, long Bytes, int Width, int Height, string Mode, string Hash, ulong[] PerceptualHash, byte[] Colours, string? Class);

namespace Atelier.Data;

/// <summary>A file a dataset could not use and why.</summary>
public sealed record SkippedFile(string Path, string Reason);

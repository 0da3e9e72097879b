namespace Atelier.Data;

/// <summary>An IDX file that cannot be read; names the file.</summary>
public sealed class IdxFormatException(string path, string reason) : Exception($"{path}: {reason}");


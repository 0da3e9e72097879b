namespace Atelier.Data;

/// <summary>What a --data value names: a procedural style, an installed IDX dataset, or (neither) a folder or manifest of images.</summary>
public sealed record DatasetKind(bool Procedural, IdxDataset? Idx)
{
    public bool IsFolder => !Procedural && Idx is null;
}

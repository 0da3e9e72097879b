namespace Atelier.Gallery;

/// <summary>A favourite image: enough to render it again (run, checkpoint, weights, seed, class, edits) plus a note.</summary>
public sealed record Favourite(long Id, string Run, string Checkpoint, string Weights, long Seed, int? Class, string? Edits, string Options, DateTimeOffset Created, string Note);

namespace Atelier.Studio;

/// <summary>A checkpoint of a run.</summary>
public sealed record CheckpointInfo(string Name, long Step, bool Best);

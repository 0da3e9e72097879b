namespace Atelier.Runs;

/// <summary>
/// A checkpoint could not be written (most often: the disk is full). The half-written one has been removed, the earlier
/// checkpoints are intact, and the message names the folder, the space a checkpoint needs and how to continue.
/// </summary>
public sealed class CheckpointWriteException(string message, Exception inner) : IOException(message, inner);

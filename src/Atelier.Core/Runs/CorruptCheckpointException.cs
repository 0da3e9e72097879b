namespace Atelier.Runs;

/// <summary>
/// A checkpoint's files are damaged or do not belong together (a hash that does not match, a missing or unreadable
/// file, weights that do not fit the model). Not a usage mistake: the command line answers it with its own exit code.
/// </summary>
public sealed class CorruptCheckpointException(string message, Exception? inner = null) : IOException(message, inner);

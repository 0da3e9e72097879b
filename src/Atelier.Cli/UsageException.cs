namespace Atelier.Cli;

/// <summary>A mistake in the command line; the message names the flag. Exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

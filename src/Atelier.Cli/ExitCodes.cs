namespace Atelier.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A run that failed at run time (diverged, interrupted by a fault).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or unusable input: the message says which flag or file.</summary>
    public const int Usage = 2;

    /// <summary>A checkpoint's files are damaged (a hash that does not match, an unreadable file): not a usage mistake.</summary>
    public const int CorruptCheckpoint = 3;

    /// <summary>Interrupted by Ctrl-C after saving.</summary>
    public const int Interrupted = 130;
}

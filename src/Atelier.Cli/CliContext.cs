using Atelier.Platform;
using Spectre.Console;

namespace Atelier.Cli;

/// <summary>What a command may touch: its consoles and Atelier's folders. Tests pass their own.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter error, AtelierPaths paths)
{
    public IAnsiConsole Console { get; } = console;

    public TextWriter Error { get; } = error;

    public AtelierPaths Paths { get; } = paths;

    /// <summary>True when output goes to a terminal (live progress views only then).</summary>
    public bool Interactive { get; init; }

    /// <summary>Where default outputs go (generate's generated/&lt;run&gt;): the process's folder, or a test's.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    public void Warn(string message) => Error.WriteLine($"warning: {message}");

    public static CliContext ForProcess() =>
        new(AnsiConsole.Console, System.Console.Error, AtelierPaths.FromEnvironment())
        {
            Interactive = !System.Console.IsOutputRedirected,
        };
}

using System.CommandLine;

namespace Atelier.Cli.Commands;

/// <summary>Verbs that train and generate (added as they are built).</summary>
internal static class TrainingCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [];
}

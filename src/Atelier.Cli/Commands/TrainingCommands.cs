using System.CommandLine;

namespace Atelier.Cli.Commands;

/// <summary>Verbs that train and generate.</summary>
internal static class TrainingCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [TrainCommand.Create(context), GenerateCommand.Create(context), ProjectCommand.Create(context), ReconstructCommand.Create(context), EvaluateCommand.Create(context), ReproduceCommand.Create(context), ExportCommand.Create(context), ImportCommand.Create(context), StudioCommand.Create(context)];
}

using System.CommandLine;
using Atelier.Cli.Commands;
using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Runs;

namespace Atelier.Cli;

/// <summary>Builds the `atelier` command tree and runs it with uniform error handling.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Atelier: train generative adversarial networks on your own images and make new works with them.");
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(DataCommand.Create(context));
        foreach (var command in TrainingCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(StyleCommand.Create(context));
        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors) context.Error.WriteLine($"error: {error.Message}");
            context.Error.WriteLine("Run 'atelier --help' (or 'atelier <verb> --help') for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = new SpectreWriter(context), Error = context.Error });
        }
        catch (MissingInputException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (CorruptCheckpointException e)
        {
            context.Error.WriteLine($"error: damaged checkpoint: {e.Message} Use another checkpoint of the run (--checkpoint <step>, or resume after deleting this one's folder).");
            return ExitCodes.CorruptCheckpoint;
        }
        catch (Exception e) when (IsUserError(e))
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>
    /// Mistakes in what the user gave (a flag, a file, a folder), which the message names: exit code 2. Anything else,
    /// a bug's ArgumentOutOfRangeException included, is not caught here and fails loudly with its stack.
    /// </summary>
    internal static bool IsUserError(Exception e) =>
        e is UsageException or OptionException or DatasetNotFoundException or ImageDecodeException or IdxFormatException
            or FileNotFoundException or DirectoryNotFoundException or InvalidDataException;

    /// <summary>Routes System.CommandLine's help text through the context's console.</summary>
    private sealed class SpectreWriter(CliContext context) : StringWriter
    {
        public override void Write(char value) => context.Console.Profile.Out.Writer.Write(value);

        public override void Write(string? value) => context.Console.Profile.Out.Writer.Write(value);

        public override void WriteLine(string? value) => context.Console.Profile.Out.Writer.WriteLine(value);

        public override void Write(char[] buffer, int index, int count) => context.Console.Profile.Out.Writer.Write(buffer, index, count);

        public override void WriteLine() => context.Console.Profile.Out.Writer.WriteLine();
    }
}

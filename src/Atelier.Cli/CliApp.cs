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
        root.Subcommands.Add(StyleDecodersCommand.Create(context));
        root.Subcommands.Add(ValueCommand.Create(context));
        RequireFiniteNumbers(root);
        return root;
    }

    /// <summary>
    /// Every number flag of every verb refuses NaN and ±infinity at parse time (exit 2, the flag named), before anything
    /// is created: "NaN" parses as a double, and used to travel until a JSON writer refused it, leaving half a run.
    /// </summary>
    private static void RequireFiniteNumbers(Command command)
    {
        foreach (var option in command.Options)
            if (option.ValueType == typeof(double) || option.ValueType == typeof(double?))
                option.Validators.Add(Check);
        foreach (var sub in command.Subcommands) RequireFiniteNumbers(sub);

        // The tokens, not the value: reading the value here would run an option's custom parser before its turn.
        static void Check(System.CommandLine.Parsing.OptionResult result)
        {
            foreach (var token in result.Tokens)
                if (double.TryParse(token.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && !double.IsFinite(v))
                    result.AddError($"{result.Option.Name}: '{token.Value}' is not a finite number.");
        }
    }

    /// <summary>
    /// The value of a flag that may be given alone (<paramref name="alone"/>) or with a number: "--can" or "--can 0.5".
    /// A token that is not a finite number is a parse error naming the flag (it used to escape as a FormatException).
    /// </summary>
    internal static double? OptionalNumber(System.CommandLine.Parsing.ArgumentResult result, string flag, double alone)
    {
        if (result.Tokens.Count == 0) return alone;
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        result.AddError($"{flag}: '{text}' is not a number; give one (e.g. {flag} {alone.ToString(System.Globalization.CultureInfo.InvariantCulture)}) or the flag alone for {alone.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        return null;
    }

    public static int Run(string[] args, CliContext context)
    {
        Platform.NativeHeap.Configure();
        var root = Build(context);
        var parsed = root.Parse(args);
        // The command list shows each verb's first paragraph; its examples are in `atelier <verb> --help`.
        if (parsed.Action is System.CommandLine.Help.HelpAction && parsed.CommandResult.Command == root)
            foreach (var command in root.Subcommands)
                if (command.Description?.Split("\n\n", 2) is [var first, _]) command.Description = first.TrimEnd();
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
        catch (Atelier.Runs.CheckpointWriteException e)
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
        catch (IOException e)
        {
            // The file system failed under a command (a full disk, a folder gone read-only): say what and where, no stack.
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
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

using Atelier.Platform;
using Spectre.Console;

namespace Atelier.Cli.Tests;

/// <summary>Runs `atelier` in-process with captured output, in a scratch folder with its own ATELIER_HOME.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "atelier-cli-tests", Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(Folder, name);

    public (int Code, string Out, string Error) Run(params string[] args) => Run(interactiveWidth: null, args);

    /// <summary>As on a terminal of <paramref name="width"/> columns: live progress bars, written as ANSI (escapes stripped from Out).</summary>
    public (int Code, string Out, string Error) RunInteractive(int width, params string[] args)
    {
        var (code, output, error) = Run(width, args);
        return (code, System.Text.RegularExpressions.Regex.Replace(output, @"\x1b\[[0-9;?]*[A-Za-z]", ""), error);
    }

    private (int Code, string Out, string Error) Run(int? interactiveWidth, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactiveWidth is null ? AnsiSupport.No : AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = interactiveWidth is null ? InteractionSupport.No : InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = interactiveWidth ?? 200;
        // Datasets are found through the machine's install (fashion-mnist) or ATELIER_HOME (mnist).
        var context = new CliContext(console, error, AtelierPaths.FromEnvironment()) { WorkingDirectory = Folder, Interactive = interactiveWidth is not null };
        var code = CliApp.Run(args, context);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A 2-step DCGAN run (rothko, 32x32, widths 4, latent 6) at <paramref name="name"/>, for tests of what reads runs.</summary>
    public string TinyRun(string name, params string[] extra)
    {
        var run = PathOf(name);
        var (code, output, error) = Run(["train", "--data", "procedural:rothko", "--resolution", "32", "--steps", "2", "--batch-size", "4", "--generator-width", "4",
            "--discriminator-width", "4", "--latent-size", "6", "--out", run, "--quiet", "--sample-every", "0", "--threads", "1", .. extra]);
        Xunit.Assert.True(code == 0, error + output);
        return run;
    }

    /// <summary>Copies a folder with everything under it (empty folders included).</summary>
    public static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

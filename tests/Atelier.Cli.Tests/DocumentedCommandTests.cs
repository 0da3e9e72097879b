using System.Text.RegularExpressions;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training.Recipes;
using Spectre.Console;

namespace Atelier.Cli.Tests;

/// <summary>
/// The commands the README and docs/ show, read out of their code blocks: each must parse with today's flags, every
/// run folder the README names must be one its own train commands make, and its C# sample must be the sample project's
/// program. Nothing here runs a command; the tests of each verb do.
/// </summary>
public sealed partial class DocumentedCommandTests
{
    /// <summary>One `atelier …` command of a code block: where it is and its arguments as the shell would give them.</summary>
    public sealed record DocumentedCommand(string File, int Line, IReadOnlyList<string> Args)
    {
        public override string ToString() => $"{File}:{Line}: atelier {string.Join(' ', Args)}";

        public string? Value(string flag) => Args.Select((a, i) => (a, i)).Where(p => p.a == flag && p.i + 1 < Args.Count).Select(p => Args[p.i + 1]).FirstOrDefault();
    }

    [Fact]
    public void Every_documented_command_parses_with_todays_flags()
    {
        var commands = Documented().ToList();
        Assert.True(commands.Count >= 60, $"only {commands.Count} commands found in the README and docs/: is the reader broken?");
        Assert.Contains(commands, c => c.File == "README.md" && c.Args.SequenceEqual(["train"]));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null) });
        var root = CliApp.Build(new CliContext(console, TextWriter.Null, AtelierPaths.FromEnvironment()));
        var failures = commands
            .Select(c => (Command: c, Errors: root.Parse(c.Args.ToArray()).Errors.Select(e => e.Message).ToList()))
            .Where(r => r.Errors.Count > 0)
            .Select(r => $"{r.Command}\n    {string.Join("; ", r.Errors)}")
            .ToList();
        Assert.True(failures.Count == 0, "documented commands that no longer parse:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_run_the_readme_names_is_one_of_its_train_commands()
    {
        var readme = Documented().Where(c => c.File == "README.md").ToList();
        var made = readme
            .Where(c => c.Args[0] == "train" && c.Value("--resume") is null && c.Value("--out") is null)
            .Select(c =>
            {
                var data = c.Value("--data") ?? TrainingDefaults.Data;
                var model = c.Value("--model") ?? TrainingDefaults.Model;
                int? resolution = c.Value("--resolution") is string r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : null;
                var side = TrainingRecipe.ResolutionOf(new TrainingRequest { Data = data, Model = model, Preset = c.Value("--preset"), Resolution = resolution });
                return RunFolder.NameFor(model, data, side);
            })
            .ToHashSet(StringComparer.Ordinal);
        var text = File.ReadAllText(Path.Combine(Golden.RepositoryRoot(), "README.md"));
        var named = RunName().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(named);
        var unknown = named.Where(n => !made.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, $"the README names runs none of its train commands would make: {string.Join(", ", unknown)}; they make {string.Join(", ", made)}");
    }

    [Fact]
    public void The_readmes_csharp_program_is_the_sample_project()
    {
        var root = Golden.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var block = CSharpBlock().Match(readme);
        Assert.True(block.Success, "README.md has no ```csharp block");
        var sample = File.ReadAllText(Path.Combine(root, "samples", "UseFromCSharp", "Program.cs"));
        Assert.Equal(sample.ReplaceLineEndings("\n").TrimEnd(), block.Groups[1].Value.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void The_reader_splits_commands_as_the_shell_does()
    {
        var lines = """
            ./atelier train --data "my art" --steps 10   # a comment
            ./atelier train --data fashion-mnist && ./atelier generate --run runs/x --class dress --grid d.png
            ./atelier generate --run r --latent a.json \
              --truncation 0.7 --out picks
            ./atelier reconstruct --run r --n 1000 [--noise 0.3]
            """.Split('\n');
        var commands = Read("x.md", ["```", "atelier (a diagram)", "```", "```bash", .. lines, "```"]).Select(c => string.Join('|', c.Args)).ToList();
        Assert.Equal([
            "train|--data|my art|--steps|10",
            "train|--data|fashion-mnist",
            "generate|--run|runs/x|--class|dress|--grid|d.png",
            "generate|--run|r|--latent|a.json|--truncation|0.7|--out|picks",
            "reconstruct|--run|r|--n|1000",
        ], commands);
    }

    /// <summary>The commands of README.md and docs/*.md.</summary>
    private static IEnumerable<DocumentedCommand> Documented()
    {
        var root = Golden.RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        return files.SelectMany(f => Read(Path.GetRelativePath(root, f), File.ReadAllLines(f)));
    }

    /// <summary>
    /// `atelier` or `./atelier` commands in ```bash, ```sh, ```shell and ```console blocks (untagged blocks are diagrams): comments dropped, `\` continuations joined,
    /// &amp;&amp; and ; chains split, [optional] flags left out, quotes honoured.
    /// </summary>
    private static IEnumerable<DocumentedCommand> Read(string file, string[] lines)
    {
        bool inBlock = false, shell = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                shell = !inBlock && trimmed[3..] is "bash" or "sh" or "shell" or "console";
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock || !shell) continue;
            int first = i;
            var line = StripComment(lines[i]);
            while (line.TrimEnd().EndsWith('\\') && i + 1 < lines.Length) line = line.TrimEnd()[..^1] + " " + StripComment(lines[++i]);
            foreach (var part in line.Split(["&&", ";"], StringSplitOptions.None))
            {
                var tokens = Tokens(Optional().Replace(part, " "));
                if (tokens.Count == 0 || tokens[0] is not ("atelier" or "./atelier")) continue;
                if (tokens.Count > 1) yield return new DocumentedCommand(file, first + 1, tokens.Skip(1).ToList());
            }
        }
    }

    private static string StripComment(string line)
    {
        bool single = false, dbl = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\'' && !dbl) single = !single;
            else if (line[i] == '"' && !single) dbl = !dbl;
            else if (line[i] == '#' && !single && !dbl && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        bool any = false;
        char quote = '\0';
        foreach (var ch in text)
        {
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0';
                else current.Append(ch);
            }
            else if (ch is '"' or '\'') (quote, any) = (ch, true);
            else if (char.IsWhiteSpace(ch))
            {
                if (any) tokens.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else (_, any) = (current.Append(ch), true);
        }
        if (any) tokens.Add(current.ToString());
        return tokens;
    }

    [GeneratedRegex(@"runs/\d{5}-([a-z0-9][a-z0-9-]*?\d+)\b")]
    private static partial Regex RunName();

    [GeneratedRegex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\[--[^\]]*\]")]
    private static partial Regex Optional();
}

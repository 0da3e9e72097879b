using System.CommandLine;
using Atelier.Imaging;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Stylization;
using Spectre.Console;

namespace Atelier.Cli.Commands;

/// <summary>`atelier reproduce image.png`: renders a generated PNG again from the provenance in its text chunks.</summary>
internal static class ReproduceCommand
{
    public static Command Create(CliContext context)
    {
        var image = new Argument<string>("image") { Description = "A PNG written by atelier generate or atelier style." };
        var output = new Option<string?>("--out") { Description = "Write the regenerated PNG here." };
        var run = new Option<string?>("--run") { Description = "The run folder (default: the run the image names, in --runs)." };
        var runs = new Option<string>("--runs") { Description = "Folder that holds numbered runs.", DefaultValueFactory = _ => "runs" };
        var inputs = new Option<string[]>("--inputs") { Description = "For a style transfer: a folder with its content, style or mask files; repeat for several (default: the image's folder, then the current one)." };
        var command = new Command("reproduce", """
            Regenerate a PNG that Atelier wrote, from the run, checkpoint, weight hash, seeds and options in its text chunks
            (or, for a style transfer, its input files by name and SHA-256 and its options), and check that the bytes are
            identical. Says what is missing when the checkpoint or an input is not there.

            Example:
              atelier reproduce garments.png --out copy.png
            """)
        {
            image, output, run, runs, inputs,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(image)!;
            if (!File.Exists(path)) throw new UsageException($"reproduce: '{path}' does not exist.");
            var original = File.ReadAllBytes(path);
            Dictionary<string, string> text;
            try
            {
                text = PngText.Read(original);
            }
            catch (InvalidDataException e)
            {
                throw new UsageException($"reproduce: '{path}' is not a PNG ({e.Message}).");
            }
            if (text.TryGetValue(StyleRecipe.TextKey, out var styleJson))
                return Style(context, path, original, StyleRecipe.FromJson(styleJson), parse.GetValue(inputs), parse.GetValue(output));
            if (!text.TryGetValue(GenerationRecipe.TextKey, out var recipeJson))
                throw new UsageException($"reproduce: '{path}' carries no Atelier recipe (it was not written by atelier generate, or its text chunks were removed).");
            var recipe = GenerationRecipe.FromJson(recipeJson);
            // Images name their run, not where it lies on the maker's disk; older ones also carry an absolute path.
            var runName = text.GetValueOrDefault("Atelier.run") ?? "";
            var legacy = text.GetValueOrDefault(GenerationRecipe.LegacyRunPathKey);
            var runPath = parse.GetValue(run)
                ?? (legacy is not null && Directory.Exists(legacy) ? legacy : Path.Combine(parse.GetValue(runs)!, runName));
            var checkpointName = text.GetValueOrDefault("Atelier.checkpoint") ?? "";
            var weights = text.GetValueOrDefault("Atelier.weights") ?? "";
            if (!Directory.Exists(runPath))
                throw new MissingInputException($"reproduce: the run folder '{runPath}' is missing; give --run <folder> (or --runs <folder of runs> for run '{runName}'). The image needs checkpoint {checkpointName} with weights {weights}.");
            var checkpoint = Path.Combine(new RunFolder(runPath).Checkpoints.Directory, checkpointName);
            if (!File.Exists(Path.Combine(checkpoint, CheckpointStore.ManifestName)))
                throw new MissingInputException($"reproduce: checkpoint '{checkpointName}' is missing from '{runPath}' (older checkpoints are pruned: --keep-checkpoints). The image needs weights {weights}.");
            using var generator = TrainedGenerator.Load(checkpoint, useAverage: recipe.Average);
            var expected = generator.WeightsId;
            if (weights != expected)
                throw new MissingInputException($"reproduce: checkpoint '{checkpoint}' holds other weights ({expected}) than the image was made with ({weights}).");
            var bytes = recipe.Render(generator, text);
            bool identical = Same(bytes, original, text);
            if (parse.GetValue(output) is string outPath)
            {
                AtomicFile.WriteAllBytes(outPath, bytes);
                context.Console.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/]");
            }
            context.Console.WriteLine(identical
                ? $"identical: {path} is reproduced byte for byte from {checkpoint} ({Platform.EnumText.Name(recipe.Kind)}, seeds {recipe.Seeds})"
                : $"different: {path} does not match what {checkpoint} renders now ({Platform.EnumText.Name(recipe.Kind)}, seeds {recipe.Seeds}); the image may have been edited");
            return identical ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>
    /// Byte for byte. A picture made before Atelier wrote XMP labels carries none; it is compared with the rendering
    /// less its XMP chunk (everything else, the pixels and the recipe included, must still be identical), and --out
    /// writes the rendering with its label.
    /// </summary>
    private static bool Same(byte[] rendered, byte[] original, Dictionary<string, string> originalText) =>
        (originalText.ContainsKey(XmpPacket.PngKeyword) ? rendered : PngText.Without(rendered, XmpPacket.PngKeyword)).AsSpan().SequenceEqual(original);

    /// <summary>Renders a style transfer again from its input files, found by name and checked by hash.</summary>
    private static int Style(CliContext context, string path, byte[] original, StyleRecipe recipe, string[]? inputs, string? outPath)
    {
        var folders = inputs is { Length: > 0 } ? inputs : [Path.GetDirectoryName(Path.GetFullPath(path))!, Directory.GetCurrentDirectory()];
        string Find(StyleInputFile file, string role)
        {
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, file.Name);
                if (File.Exists(candidate) && StyleInputFile.Hash(candidate) == file.Sha256) return candidate;
            }
            throw new MissingInputException($"reproduce: the {role} {(role == "decoders" ? "file" : "image")} '{file.Name}' (SHA-256 {file.Sha256}) is not in {string.Join(" or ", folders.Select(f => $"'{f}'"))}; give --inputs <folder that holds it>.");
        }
        var content = Find(recipe.Content, "content");
        var styles = recipe.Styles.Select(s => Find(s.File, "style")).ToList();
        var mask = recipe.Mask is null ? null : Find(recipe.Mask, "mask");
        // The fast path's decoders: the shipped file if it is the recipe's, else one of that name beside the inputs.
        var decoders = recipe.Decoders is not { } d ? null
            : File.Exists(StyleDecoders.DefaultPath) && StyleInputFile.Hash(StyleDecoders.DefaultPath) == d.Sha256 ? StyleDecoders.DefaultPath
            : Find(d, "decoders");
        Platform.TorchRuntime.ConfigureThreads(recipe.Threads);
        var bytes = StyleCommand.Render(context, recipe, content, styles, mask, "cpu", decoders);
        bool identical = Same(bytes, original, PngText.Read(original));
        if (outPath is not null)
        {
            AtomicFile.WriteAllBytes(outPath, bytes);
            context.Console.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/]");
        }
        context.Console.WriteLine(identical
            ? $"identical: {path} is reproduced byte for byte from {recipe.Content.Name} in the style of {string.Join(", ", recipe.Styles.Select(s => s.File.Name))} ({recipe.Threads} thread{(recipe.Threads == 1 ? "" : "s")})"
            : $"different: {path} does not match what its inputs render now on this machine (the recipe used {recipe.Threads} threads); the image may have been edited");
        return identical ? ExitCodes.Success : ExitCodes.Failure;
    }
}

/// <summary>Something a command needs is not there (exit code 1, not a usage error).</summary>
internal sealed class MissingInputException(string message) : Exception(message);

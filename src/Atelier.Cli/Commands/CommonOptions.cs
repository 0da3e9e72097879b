using System.CommandLine;
using Atelier.Data;
using Atelier.Imaging;

namespace Atelier.Cli.Commands;

/// <summary>Options shared by several verbs, built once per command so each has its own instance.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataRoot() => new("--data-root")
    {
        Description = "Folder searched first for installed datasets (<root>/fashion-mnist, <root>/mnist). Also: $ATELIER_DATA.",
    };

    public static Option<int?> Resolution(string description = "Square image size in pixels (default: the dataset's own; 64 for folders and procedural art).") =>
        new("--resolution") { Description = description };

    public static Option<int?> Channels() => new("--channels") { Description = "1 (grayscale) or 3 (RGB); default from the data." };

    public static Option<ImageFit> Fit() => new("--fit")
    {
        Description = "How non-square folder images become square: CenterCrop, Letterbox or Stretch.",
        DefaultValueFactory = _ => ImageFit.CenterCrop,
    };

    public static Option<string> Run(string description = "Run folder (or a checkpoint folder inside one).") =>
        new("--run") { Description = description, Required = true };

    public static Option<string> Checkpoint() => new("--checkpoint")
    {
        Description = "latest, best, a step number or a checkpoint folder name.",
        DefaultValueFactory = _ => "latest",
    };

    public static Option<bool> FolderLabels() => new("--folder-labels") { Description = "Use subfolder names as class labels." };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "CPU threads for tensor work (0 = all cores).",
        DefaultValueFactory = _ => 0,
    };

    public static DatasetRequest Request(ParseResult parse, string spec, Option<int?> resolution, Option<int?> channels,
        Option<string?> dataRoot, Option<ImageFit> fit, Option<bool> folderLabels, long seed = 0) =>
        new(spec, parse.GetValue(resolution), parse.GetValue(channels), parse.GetValue(dataRoot), parse.GetValue(fit), parse.GetValue(folderLabels), seed);
}

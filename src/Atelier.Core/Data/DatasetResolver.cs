using Atelier.Data.Procedural;
using Atelier.Platform;

namespace Atelier.Data;

/// <summary>Turns a dataset name or path into an <see cref="IImageSource"/>.</summary>
public sealed class DatasetResolver(AtelierPaths paths, Action<string>? warn = null)
{
    /// <summary>The side folder images are resized to when no resolution is asked for.</summary>
    public const int DefaultResolution = 64;

    /// <summary>
    /// Opens a named dataset (fashion-mnist, mnist, procedural:&lt;style&gt;, with :test for a test split) or a folder
    /// of images at the requested size; throws <see cref="OptionException"/> naming the flag for bad requests.
    /// </summary>
    public IImageSource Open(DatasetRequest request)
    {
        var spec = request.Spec.Trim();
        if (spec.Length == 0) throw new OptionException("--data: empty dataset name");
        if (request.Channels is not (null or 1 or 3)) throw new OptionException($"--channels: {request.Channels} is not 1 or 3");
        if (request.Resolution is < 4 or > 1024) throw new OptionException($"--resolution: {request.Resolution} is outside 4..1024");

        if (spec.StartsWith("procedural:", StringComparison.OrdinalIgnoreCase))
        {
            var styleName = spec["procedural:".Length..];
            var style = ProceduralStyle.Find(styleName) ?? throw new DatasetNotFoundException(
                $"--data: unknown procedural style '{styleName}'; choose one of {string.Join(", ", ProceduralStyle.All.Select(s => "procedural:" + s.Name))}.");
            return new ProceduralSource(style, request.Resolution ?? DefaultResolution, request.Channels ?? 3, request.Seed);
        }

        var (baseName, split) = SplitName(spec);
        var idx = IdxDataset.Find(baseName.ToLowerInvariant());
        if (idx is not null && !Directory.Exists(spec))
        {
            if (split is not (null or "train" or "test"))
                throw new OptionException($"--data: unknown split '{split}' of {baseName}; use {baseName} or {baseName}:test.");
            var set = idx.Load(request.DataRoot, paths.Home, split == "test");
            return ImageSetResampler.Resample(set, request.Resolution ?? set.Resolution, request.Channels ?? set.Channels);
        }

        if (Directory.Exists(spec))
        {
            var options = new ImageFolderOptions(request.Resolution ?? DefaultResolution, request.Channels ?? 3, request.Fit,
                request.Background, request.FolderLabels);
            return ImageFolderSource.Open(spec, options, paths.Cache, warn);
        }

        if (File.Exists(spec) && spec.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            var options = new ImageFolderOptions(request.Resolution ?? DefaultResolution, request.Channels ?? 3, request.Fit,
                request.Background, request.FolderLabels);
            return ImageFolderSource.OpenManifest(spec, options, paths.Cache, warn);
        }
        if (File.Exists(spec))
            throw new DatasetNotFoundException($"--data: '{spec}' is a file; give a folder of images, a manifest (.txt, from data audit --fix), a dataset name or procedural:<style>.");
        throw new DatasetNotFoundException(
            $"--data: '{spec}' is neither a folder nor a known dataset. Known: {string.Join(", ", KnownNames())}.");
    }

    /// <summary>
    /// What a --data value names, decided as <see cref="Open"/> decides it (a folder that shadows a dataset name is a
    /// folder), without opening it: the training recipe's resolution, channel and flip rules follow from it.
    /// </summary>
    public static DatasetKind KindOf(string spec)
    {
        spec = spec.Trim();
        if (spec.StartsWith("procedural:", StringComparison.OrdinalIgnoreCase)) return new DatasetKind(Procedural: true, Idx: null);
        var idx = IdxDataset.Find(SplitName(spec).Name.ToLowerInvariant());
        return new DatasetKind(Procedural: false, Idx: idx is not null && !Directory.Exists(spec) ? idx : null);
    }

    /// <summary>The installed and built-in dataset names (folders are not listed).</summary>
    public static IEnumerable<string> KnownNames() =>
        IdxDataset.All.Select(d => d.Name).Concat(ProceduralStyle.All.Select(s => "procedural:" + s.Name));

    private static (string Name, string? Split) SplitName(string spec)
    {
        int colon = spec.LastIndexOf(':');
        return colon > 0 && !spec.Contains('/') ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
    }
}

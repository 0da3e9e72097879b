using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Data;

/// <summary>What to open and how to shape it.</summary>
/// <param name="Spec">"fashion-mnist", "mnist:test", "procedural:kandinsky" or a folder path.</param>
/// <param name="Resolution">Square side; null keeps the dataset's own (28 for IDX, 64 otherwise).</param>
/// <param name="Channels">1 or 3; null keeps the dataset's own (1 for IDX, 3 otherwise).</param>
/// <param name="DataRoot">--data-root: a folder searched first for installed datasets.</param>
/// <param name="Fit">How folder images become square.</param>
/// <param name="FolderLabels">Subfolder names become class labels.</param>
/// <param name="Seed">Seed of procedural sources.</param>
/// <param name="Background">Colour transparency is composited onto.</param>
public sealed record DatasetRequest(
    string Spec,
    int? Resolution = null,
    int? Channels = null,
    string? DataRoot = null,
    ImageFit Fit = ImageFit.CenterCrop,
    bool FolderLabels = false,
    long Seed = 0,
    SKColor? Background = null);

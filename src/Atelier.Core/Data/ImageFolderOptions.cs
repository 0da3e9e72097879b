using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Data;

/// <summary>How a folder of images becomes a training set.</summary>
/// <param name="Resolution">Square side every image is fitted to.</param>
/// <param name="Channels">1 (luma) or 3 (RGB).</param>
/// <param name="Fit">Crop or letterbox non-square images.</param>
/// <param name="Background">Colour that transparency and letterbox padding are composited onto.</param>
/// <param name="FolderLabels">Use the first-level subfolder names as class labels.</param>
/// <param name="Limits">Header limits that refuse oversized images before decoding.</param>
public sealed record ImageFolderOptions(
    int Resolution,
    int Channels = 3,
    ImageFit Fit = ImageFit.CenterCrop,
    SKColor? Background = null,
    bool FolderLabels = false,
    ImageLimits? Limits = null)
{
    public SKColor BackgroundColor => Background ?? SKColors.White;

    /// <summary>Text that enters the cache key: any change here decodes again.</summary>
    public string CacheKey => $"v1|r{Resolution}|c{Channels}|{Fit}|{BackgroundColor}|labels={FolderLabels}|{(Limits ?? ImageLimits.Default)}";
}

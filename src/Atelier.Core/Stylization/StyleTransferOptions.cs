using System.Text.Json.Serialization;

namespace Atelier.Stylization;

/// <summary>
/// Everything besides the images that decides a style transfer's pixels.
/// </summary>
/// <param name="Size">Long side of the result in pixels (the content image is resized to it).</param>
/// <param name="Steps">L-BFGS function evaluations of the whole-image pass (one forward and backward pass each).</param>
/// <param name="Strength">Weight of the style against the content; 1 is the calibrated default, 2 twice the style.</param>
/// <param name="PreserveColor">Transfer luminance only and keep the content's colours (Gatys et al. 2017).</param>
/// <param name="Smoothing">The activation transform of the style layers.</param>
/// <param name="Tile">Images whose long side is larger are stylised at this size first, then refined at full size
/// tile by tile, the tiles shifting between rounds so that their seams do not stay in one place.</param>
/// <param name="Method">Gatys' optimisation, or the fast path's WCT or AdaIN (<see cref="FastStyleTransfer"/>), for
/// which <paramref name="Strength"/> is the share of transformed features (0..1) and Steps, Smoothing and Tile are
/// not used.</param>
public sealed record StyleTransferOptions(
    int Size = 512,
    int Steps = 300,
    double Strength = 1,
    bool PreserveColor = false,
    FeatureSmoothing Smoothing = StyleTransferOptions.DefaultSmoothing,
    int Tile = 512,
    StyleMethod Method = StyleMethod.Gatys,
    int Depth = StyleTransferOptions.DefaultDepth)
{
    /// <summary>The fast path's deepest level: 2 (layer2, then layer1). Level 3 (layer3) repaints more and keeps too little of the content with the shipped decoders (docs/style-transfer.md).</summary>
    public const int DefaultDepth = 2;

    public const FeatureSmoothing DefaultSmoothing = FeatureSmoothing.Rescale;

    /// <summary>Largest --size: a 4096-pixel side is 16.7 M pixels, whose stem activations alone take 1 GB.</summary>
    public const int MaxSize = 4096;

    /// <summary>Style images are matched at the result's scale but never beyond this long side.</summary>
    public const int MaxStyleSide = 2048;

    /// <summary>Rounds of tiled refinement at full size, and their L-BFGS iterations per tile.</summary>
    public const int TileRounds = 2;

    [JsonIgnore]
    public int TileSteps => Math.Max(10, Steps / 4);

    /// <summary>Checks every value, naming the flag that is wrong.</summary>
    public StyleTransferOptions Validate()
    {
        if (Size is < 32 or > MaxSize) throw new Platform.OptionException($"--size: {Size} is outside 32..{MaxSize} pixels.");
        if (Steps is < 1 or > 100_000) throw new Platform.OptionException($"--steps: {Steps} is outside 1..100000.");
        if (Method != StyleMethod.Gatys && !(Strength > 0 && Strength <= 1))
            throw new Platform.OptionException($"--strength: {Strength} must be above 0 and at most 1 for --method {Platform.EnumText.Name(Method)} (the share of the style's features; 1 is all).");
        if (!(Strength > 0 && Strength <= 1000)) throw new Platform.OptionException($"--strength: {Strength} must be above 0 and at most 1000.");
        if (Depth is < 1 or > StyleDecoders.Levels) throw new Platform.OptionException($"--depth: {Depth} is outside 1..{StyleDecoders.Levels} (the deepest ResNet18 level the fast path transforms).");
        if (Tile is < 64 or > MaxSize) throw new Platform.OptionException($"--tile: {Tile} is outside 64..{MaxSize} pixels.");
        return this;
    }
}

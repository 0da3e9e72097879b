using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Sampling;

/// <summary>
/// Everything that decides the pixels of a PNG that `generate` writes: seeds, layout, class, aspect, which weights.
/// It is stored in the PNG's text chunks (with the run, checkpoint and weight hash), so `atelier reproduce` can
/// render the same bytes again.
/// </summary>
/// <param name="Kind">A grid of all seeds in one image, or a single image of one seed.</param>
/// <param name="Seeds">The seeds, as --seeds takes them ("0-63", "5").</param>
/// <param name="Columns">Grid columns (0 = square).</param>
/// <param name="Class">Class of a conditional model, or null for seed mod classes.</param>
/// <param name="Aspect">--aspect, or null for square.</param>
/// <param name="Average">The moving-average generator (true) or the raw one.</param>
/// <param name="Edits">Latent edits along SeFa directions, as --edit takes them ("0:2.5,3:-1"), or null.</param>
/// <param name="Truncation">Truncation ψ (latent scaled toward the mean), or null for none.</param>
/// <param name="Variation">A variation "index:spread" of each seed (see <see cref="LatentShape"/>), or null.</param>
/// <param name="Latent">A latent used in place of the seeds' own (a projection's), or null; the seeds then seed only
/// the variations. Written in full, so the image reproduces without the latent file.</param>
/// <param name="Scale">Whole-number enlargement of the finished picture (--scale), or null for none.</param>
/// <param name="ScaleFilter">How it is enlarged: "nearest" (crisp pixels) or "cubic" (smooth); null is nearest.</param>
/// <param name="Directions">A directions sheet: how many SeFa directions (rows) it shows; null for other kinds.</param>
public sealed record GenerationRecipe(GenerationKind Kind, string Seeds, int Columns = 0, int? Class = null, string? Aspect = null, bool Average = true, string? Edits = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Truncation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Latent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Scale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScaleFilter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Directions = null)
{
    /// <summary>The distances along each direction in the columns of a directions sheet.</summary>
    public static IReadOnlyList<double> SheetDistances { get; } = [-3, -2, -1, 0, 1, 2, 3];

    /// <summary>The largest --scale, and the largest side a scaled picture may have.</summary>
    public const int MaxScale = 16, MaxScaledSide = 16_384;

    /// <summary>The PNG text chunk that holds the recipe as JSON.</summary>
    public const string TextKey = "Atelier.recipe";
    /// <summary>Where the run was, as an absolute path: written by images made before 2026-12 only (it told who
    /// received an image how the maker's folders are laid out); still read, and kept when such an image is reproduced.</summary>
    public const string LegacyRunPathKey = "Atelier.runPath";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The recipe as the JSON of its PNG text chunk.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A recipe read back from its PNG text chunk.</summary>
    public static GenerationRecipe FromJson(string json) =>
        JsonSerializer.Deserialize<GenerationRecipe>(json, Json) ?? throw new InvalidDataException("empty generation recipe");

    /// <summary>The latent shaping this recipe asks for; throws ArgumentException for malformed values.</summary>
    public LatentShape Shape() => new(
        Edits is string e ? LatentDirections.ParseEdits(e) : [],
        Truncation is double psi ? LatentShape.CheckTruncation(psi) : 1,
        Variation is string v ? LatentShape.ParseVariation(v) : null);

    /// <summary>
    /// The PNG bytes, text chunks included; the same recipe and weights give the same bytes. <paramref name="recorded"/>
    /// (the text of the original image) keeps the run's name, and an older image's run path, so that a reproduction
    /// from a moved or renamed run is still identical.
    /// </summary>
    public byte[] Render(TrainedGenerator generator, IReadOnlyDictionary<string, string>? recorded = null)
    {
        if (generator.UsesAverage != Average) throw new InvalidDataException("the recipe and the loaded generator disagree about the moving average");
        var m = generator.Model;
        var seeds = SeedRange.Parse(Seeds);
        if (Kind != GenerationKind.Grid && seeds.Count != 1) throw new InvalidDataException($"a {(Kind == GenerationKind.SingleImage ? "single image" : "directions sheet")} has one seed, not '{Seeds}'");
        if (Kind == GenerationKind.DirectionsSheet) return RenderDirections(generator, seeds[0], recorded);
        var pixels = generator.GenerateShaped(seeds, Shape(), Class, Latent);
        int height = m.Resolution, width = m.Resolution;
        if (Aspect is string ratio) (pixels, height, width) = AspectCrop.Crop(pixels, seeds.Count, m.Channels, m.Resolution, AspectCrop.Parse(ratio));
        var what = Kind == GenerationKind.Grid ? $"grid of seeds {Seeds}{(Class is int g ? $", class {g}" : "")}" : "single";
        var text = generator.Provenance(Latent is null ? what : what + ", from a given latent");
        if (Kind == GenerationKind.SingleImage) text["Atelier.seed"] = seeds[0].ToString(CultureInfo.InvariantCulture);
        if (Class is int c) text["Atelier.class"] = c.ToString(CultureInfo.InvariantCulture);
        if (Edits is string edits) text["Atelier.edits"] = edits;
        if (Truncation is double psi) text["Atelier.truncation"] = psi.ToString("R", CultureInfo.InvariantCulture);
        if (Variation is string variation) text["Atelier.variation"] = variation;
        text[TextKey] = ToJson();
        KeepRecordedRun(text, recorded);
        if (Scale is int scale) text["Atelier.scale"] = $"{scale}x {ScaleFilter ?? "nearest"}";
        using var bitmap = Kind == GenerationKind.Grid
            ? ImageGrid.Compose(pixels, seeds.Count, m.Channels, height, width, new ImageGridOptions(Columns: Columns, Scale: m.Resolution < 48 ? 2 : 1))
            : ImageCodec.FromPixels(pixels, m.Channels, height, width);
        if (Scale is not int factor || factor == 1) return ImageCodec.EncodePng(bitmap, text, DigitalSource.TrainedAlgorithmicMedia);
        using var scaled = Enlarge(bitmap, factor, ScaleFilter);
        return ImageCodec.EncodePng(scaled, text, DigitalSource.TrainedAlgorithmicMedia);
    }

    /// <summary>The original image's run name (and an older image's run path), so a moved or renamed run reproduces it.</summary>
    private static void KeepRecordedRun(Dictionary<string, string> text, IReadOnlyDictionary<string, string>? recorded)
    {
        foreach (var key in new[] { LegacyRunPathKey, "Atelier.run" })
            if (recorded?.TryGetValue(key, out var value) == true) text[key] = value;
    }

    /// <summary>One row per direction, the seed moved along it by each of <see cref="SheetDistances"/>.</summary>
    private byte[] RenderDirections(TrainedGenerator generator, long seed, IReadOnlyDictionary<string, string>? recorded)
    {
        if (Directions is not (>= 1 and <= 64) || Edits is not null || Truncation is not null || Variation is not null || Latent is not null || Aspect is not null || Class is not null || Scale is not null)
            throw new InvalidDataException("a directions sheet's recipe has 1..64 directions and no other shaping");
        var m = generator.Model;
        var directions = generator.Directions(Directions.Value);
        int rows = Math.Min(Directions.Value, directions.Length);
        var pixels = new List<float>();
        for (int d = 0; d < rows; d++)
            foreach (var x in SheetDistances) pixels.AddRange(generator.GenerateEdited([seed], [(d, x)]));
        var text = generator.Provenance($"SeFa directions 0-{rows - 1} of seed {seed}, distances -3..3");
        text["Atelier.seed"] = seed.ToString(CultureInfo.InvariantCulture);
        text[TextKey] = ToJson();
        KeepRecordedRun(text, recorded);
        using var sheet = ImageGrid.Compose(pixels.ToArray(), rows * SheetDistances.Count, m.Channels, m.Resolution, m.Resolution,
            new ImageGridOptions(Columns: SheetDistances.Count, Scale: m.Resolution < 48 ? 2 : 1));
        return ImageCodec.EncodePng(sheet, text, DigitalSource.TrainedAlgorithmicMedia);
    }

    /// <summary>Checks --scale and --scale-filter; throws ArgumentException naming the flag.</summary>
    public static (int Scale, string Filter) CheckScale(int scale, string filter)
    {
        if (scale is < 1 or > MaxScale) throw new ArgumentException($"--scale: {scale} is outside 1..{MaxScale}.");
        if (filter is not ("nearest" or "cubic")) throw new ArgumentException($"--scale-filter: '{filter}' is not nearest or cubic.");
        return (scale, filter);
    }

    private static SKBitmap Enlarge(SKBitmap bitmap, int factor, string? filter)
    {
        CheckScale(factor, filter ?? "nearest");
        long width = (long)bitmap.Width * factor, height = (long)bitmap.Height * factor;
        if (width > MaxScaledSide || height > MaxScaledSide)
            throw new ArgumentException($"--scale: {bitmap.Width}x{bitmap.Height} times {factor} is over {MaxScaledSide} pixels a side; use a smaller --scale or fewer seeds.");
        // Nearest keeps each generated pixel a crisp square; cubic (Mitchell) is the smooth enlargement for prints.
        var sampling = filter == "cubic" ? new SKSamplingOptions(SKCubicResampler.Mitchell) : new SKSamplingOptions(SKFilterMode.Nearest);
        var scaled = new SKBitmap(new SKImageInfo((int)width, (int)height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(scaled);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, SKRect.Create(0, 0, width, height), sampling);
        return scaled;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atelier.Imaging;
using Atelier.Models.Pretrained;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Stylization;

/// <summary>An input image of a style transfer, by file name (not its folder: the recipe travels with the picture) and
/// the SHA-256 of its bytes, so that a reproduction can find it and knows it is the same file.</summary>
public sealed record StyleInputFile(string Name, string Sha256)
{
    public static StyleInputFile Of(string path) => new(Path.GetFileName(path), Hash(path));

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}

/// <summary>A style image of a recipe and its weight.</summary>
public sealed record StyleRecipeStyle(StyleInputFile File, double Weight);

/// <summary>
/// Everything that decides the pixels of a PNG that `atelier style` writes: its inputs by name and hash, the options
/// and the torch thread count. It travels in the PNG's text chunks, so `atelier reproduce` can render the same bytes
/// again from the same input files. The fast path's recipe names its decoders file too (<paramref name="Decoders"/>).
/// </summary>
public sealed record StyleRecipe(StyleInputFile Content, IReadOnlyList<StyleRecipeStyle> Styles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StyleInputFile? Mask,
    StyleTransferOptions Options, int Threads,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StyleInputFile? Decoders = null)
{
    public const string TextKey = "Atelier.style";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StyleRecipe FromJson(string json) =>
        JsonSerializer.Deserialize<StyleRecipe>(json, Json) ?? throw new InvalidDataException("empty style recipe");

    /// <summary>
    /// Stylises and encodes: the PNG bytes with the recipe in their text chunks. <paramref name="content"/>,
    /// <paramref name="styles"/> and <paramref name="mask"/> are the files' paths, in the recipe's order; their hashes
    /// must be the recipe's, and so must <paramref name="decoders"/>' (the fast path's file) if the recipe names one.
    /// </summary>
    public byte[] Render(ResNet18Network network, string content, IReadOnlyList<string> styles, string? mask,
        Device? device = null, IProgress<StyleProgress>? progress = null, string? decoders = null, CancellationToken cancel = default)
    {
        device ??= CPU;
        bool fast = Options.Method != StyleMethod.Gatys;
        if (fast != (Decoders is not null)) throw new InvalidDataException($"a {Options.Method} recipe {(fast ? "must" : "cannot")} name a decoders file");
        if ((decoders is null) != (Decoders is null)) throw new ArgumentException("the recipe and the call disagree about a decoders file", nameof(decoders));
        if (styles.Count != Styles.Count) throw new ArgumentException($"the recipe has {Styles.Count} style images, not {styles.Count}", nameof(styles));
        if ((mask is null) != (Mask is null)) throw new ArgumentException("the recipe and the call disagree about a mask", nameof(mask));
        Check(content, Content, "content");
        for (int i = 0; i < styles.Count; i++) Check(styles[i], Styles[i].File, "style");
        if (mask is not null) Check(mask, Mask!, "mask");
        if (decoders is not null) Check(decoders, Decoders!, "decoders");
        using var scope = NewDisposeScope();
        var contentImage = StyleImages.LoadContent(content, Options.Size).to(device);
        int height = (int)contentImage.shape[2], width = (int)contentImage.shape[3];
        int styleSide = Math.Min(Math.Max(height, width), StyleTransferOptions.MaxStyleSide);
        var styleImages = styles.Select((s, i) => new WeightedStyle(StyleImages.LoadStyle(s, styleSide).to(device), Styles[i].Weight)).ToList();
        var maskImage = mask is null ? null : StyleImages.LoadMask(mask, width, height).to(device);
        Tensor result;
        if (fast)
        {
            using var loaded = StyleDecoders.Load(decoders!);
            loaded.to(device);
            result = new FastStyleTransfer(network, loaded).Stylize(contentImage, styleImages, maskImage, Options, progress, cancel);
        }
        else
        {
            result = new StyleTransfer(network).Stylize(contentImage, styleImages, maskImage, Options, progress, cancel);
        }
        using var bitmap = StyleImages.ToBitmap(result);
        return ImageCodec.EncodePng(bitmap, Text(), DigitalSource.CompositeWithTrainedAlgorithmicMedia);
    }

    /// <summary>The PNG's text chunks: what the picture is, and this recipe.</summary>
    public Dictionary<string, string> Text() => new()
    {
        ["Software"] = "Atelier " + Platform.TorchRuntime.AtelierVersion,
        ["Comment"] = "AI-generated by Atelier (style transfer)",
        ["Atelier.image"] = $"{(Options.Method == StyleMethod.Gatys ? "" : Platform.EnumText.Name(Options.Method) + " ")}style transfer of {Content.Name} in the style of {string.Join(" + ", Styles.Select(s => s.File.Name + (Styles.Count > 1 ? ":" + s.Weight.ToString("R", CultureInfo.InvariantCulture) : "")))}",
        [TextKey] = ToJson(),
    };

    private static void Check(string path, StyleInputFile expected, string role)
    {
        var hash = StyleInputFile.Hash(path);
        if (hash != expected.Sha256) throw new InvalidDataException($"{role} {(role == "decoders" ? "file" : "image")} '{path}' has SHA-256 {hash}, not the recipe's {expected.Sha256}");
    }
}

/// <summary>Reading the images of a style transfer as RGB 0..255 tensors, and writing its result.</summary>
public static class StyleImages
{
    /// <summary>The content image [1, 3, H, W] with its long side resized to <paramref name="size"/> (aspect kept);
    /// transparent pixels are composited onto white.</summary>
    public static Tensor LoadContent(string path, int size)
    {
        using var decoded = ImageCodec.Decode(path);
        var (height, width) = Fit(decoded.Height, decoded.Width, size);
        return Load(decoded, width, height);
    }

    /// <summary>A style image [1, 3, h, w], its long side resized to <paramref name="side"/>.</summary>
    public static Tensor LoadStyle(string path, int side) => LoadContent(path, side);

    /// <summary>A mask [1, 1, H, W] in 0..1 (its luminance; white = style), stretched to the content's size.</summary>
    public static Tensor LoadMask(string path, int width, int height)
    {
        using var decoded = ImageCodec.Decode(path);
        using var scope = NewDisposeScope();
        var rgb = Load(decoded, width, height);
        return StyleTransfer.Luma(rgb).div(255).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Height and width with the long side <paramref name="size"/> and the aspect kept.</summary>
    public static (int Height, int Width) Fit(int height, int width, int size)
    {
        double scale = (double)size / Math.Max(height, width);
        return (Math.Max(1, (int)Math.Round(height * scale)), Math.Max(1, (int)Math.Round(width * scale)));
    }

    /// <summary>[1, 3, H, W] 0..255 → an opaque bitmap, rounded to the nearest byte.</summary>
    public static SKBitmap ToBitmap(Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        int height = (int)rgb255.shape[2], width = (int)rgb255.shape[3];
        var unit = (rgb255[0].cpu().to(ScalarType.Float32) / 127.5 - 1).contiguous();
        return ImageCodec.FromPixels(unit.data<float>().ToArray(), 3, height, width);
    }

    private static Tensor Load(SKBitmap decoded, int width, int height)
    {
        using var fitted = ImageCodec.Fit(decoded, width, height, ImageFit.Stretch, SKColors.White);
        var bytes = new byte[3 * width * height];
        ImageCodec.ToBytes(fitted, 3, bytes);
        using var raw = tensor(bytes, [1, 3, height, width]);
        return raw.to(ScalarType.Float32);
    }
}

using SkiaSharp;

namespace Atelier.Imaging;

/// <summary>
/// Decodes and encodes images with SkiaSharp, and converts between images and [-1, 1] CHW pixels.
/// </summary>
public static class ImageCodec
{
    /// <summary>
    /// Decodes the first frame of a PNG, JPEG (CMYK too), WebP, GIF, BMP or ICO into unpremultiplied RGBA8888, turned
    /// as its EXIF orientation says (a phone's portrait JPEG comes out upright).
    /// The header is read first: images over <paramref name="limits"/> are refused before decoding.
    /// </summary>
    public static SKBitmap Decode(string path, ImageLimits? limits = null) => Decode(path, limits, out _);

    /// <summary>Decodes a file; <paramref name="turned"/> says whether an EXIF orientation moved the pixels.</summary>
    public static SKBitmap Decode(string path, ImageLimits? limits, out bool turned) => Decode(ReadFile(path, limits), path, limits, out turned);

    /// <summary>A file's bytes, refused (naming it) when missing, empty, unreadable or over the size limit.</summary>
    public static byte[] ReadFile(string path, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists) throw new ImageDecodeException(path, "file not found");
        }
        catch (IOException e)
        {
            throw new ImageDecodeException(path, e.Message);
        }
        if (info.Length == 0) throw new ImageDecodeException(path, "empty file (0 bytes)");
        if (info.Length > limits.MaxFileBytes)
            throw new ImageDecodeException(path, $"file is {info.Length} bytes, over the {limits.MaxFileBytes}-byte limit");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, e.Message);
        }
        return bytes;
    }

    /// <summary>The width and height an encoded image declares in its header (nothing is decoded), or null when it is not readable.</summary>
    public static (int Width, int Height)? DeclaredSize(byte[] bytes)
    {
        using var data = SKData.CreateCopy(PngMetadata.WithoutMetadata(bytes));
#pragma warning disable CA2000 // the codec takes ownership of the stream and disposes it with itself
        using var codec = SKCodec.Create(new SKMemoryStream(data));
#pragma warning restore CA2000
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes encoded bytes; <paramref name="name"/> is used in error messages.</summary>
    public static SKBitmap Decode(byte[] bytes, string name, ImageLimits? limits = null) => Decode(bytes, name, limits, out _);

    /// <summary>Decodes encoded bytes; <paramref name="turned"/> says whether an EXIF orientation moved the pixels.</summary>
    public static SKBitmap Decode(byte[] bytes, string name, ImageLimits? limits, out bool turned)
    {
        turned = false;
        limits ??= ImageLimits.Default;
        using var data = SKData.CreateCopy(PngMetadata.WithoutMetadata(bytes));
#pragma warning disable CA2000 // the codec takes ownership of the stream and disposes it with itself (SKCodec.Create(SKStream))
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var result);
#pragma warning restore CA2000
        if (codec is null)
            throw new ImageDecodeException(name, $"not a readable image ({result})");
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(name, "image has no pixels");
        if (width > limits.MaxSide || height > limits.MaxSide || (long)width * height > limits.MaxPixels)
            throw new ImageDecodeException(name,
                $"image declares {width}x{height} pixels, over the limit of {limits.MaxPixels} pixels or {limits.MaxSide} per side; refused before decoding");
#pragma warning disable CA2000 // CreateSrgb returns SkiaSharp's shared sRGB instance, which must not be disposed
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
#pragma warning restore CA2000
        var bitmap = new SKBitmap(target);
        var options = new SKCodecOptions(0);
        var status = codec.GetPixels(target, bitmap.GetPixels(), options);
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            bitmap.Dispose();
            throw new ImageDecodeException(name, $"decoding failed ({status})");
        }
        if (status == SKCodecResult.IncompleteInput)
        {
            bitmap.Dispose();
            throw new ImageDecodeException(name, "truncated image data");
        }
        if (codec.EncodedOrigin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return bitmap;
        turned = true;
        using (bitmap)
            return Oriented(bitmap, codec.EncodedOrigin);
    }

    /// <summary>
    /// The picture as it is meant to be seen: a phone's JPEG stores its pixels as the sensor read them and says in
    /// EXIF (tag 0x0112) how to turn them. Pixels are moved, never resampled, so the result is exact.
    /// </summary>
    public static SKBitmap Oriented(SKBitmap stored, SKEncodedOrigin origin)
    {
        int w = stored.Width, h = stored.Height;
        bool swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int ow = swaps ? h : w, oh = swaps ? w : h;
        var result = new SKBitmap(new SKImageInfo(ow, oh, stored.ColorType, stored.AlphaType, stored.ColorSpace));
        var source = stored.GetPixelSpan();
        var target = result.GetPixelSpan();
        int bytes = stored.BytesPerPixel;
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                // Where displayed pixel (x, y) is stored (the EXIF 2.32 table of orientations).
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                source.Slice((sy * w + sx) * bytes, bytes).CopyTo(target.Slice((y * ow + x) * bytes, bytes));
            }
        }
        return result;
    }

    /// <summary>
    /// Renders <paramref name="source"/> onto a width×height canvas filled with <paramref name="background"/>
    /// (alpha is composited onto it), fitted as asked, with mipmapped linear filtering for good downscaling.
    /// </summary>
    public static SKBitmap Fit(SKBitmap source, int width, int height, ImageFit fit, SKColor background)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var result = new SKBitmap(info);
        using var canvas = new SKCanvas(result);
        canvas.Clear(background.WithAlpha(255));
        // FromPixels wraps the bitmap's pixels; FromBitmap would copy a mutable bitmap's (400 MB more for a 10000x10000 picture).
        using var pixmap = source.PeekPixels();
        using var image = SKImage.FromPixels(pixmap);
        var (src, dst) = Placement(source.Width, source.Height, width, height, fit);
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        using var paint = new SKPaint { IsAntialias = true };
        canvas.DrawImage(image, src, dst, sampling, paint);
        canvas.Flush();
        return result;
    }

    /// <summary>
    /// The pixels of a size×size letterboxed canvas that the picture covers, as whole-pixel bounds [X0, X1)×[Y0, Y1):
    /// a pixel counts when at least half of it is covered. Everything else is padding.
    /// </summary>
    public static ImageRegion LetterboxRegion(int sourceWidth, int sourceHeight, int size)
    {
        var (_, dst) = Placement(sourceWidth, sourceHeight, size, size, ImageFit.Letterbox);
        int x0 = (int)Math.Round(dst.Left), x1 = (int)Math.Round(dst.Right), y0 = (int)Math.Round(dst.Top), y1 = (int)Math.Round(dst.Bottom);
        return new ImageRegion(Math.Clamp(x0, 0, size), Math.Clamp(y0, 0, size), Math.Clamp(Math.Max(x1, x0 + 1), 0, size), Math.Clamp(Math.Max(y1, y0 + 1), 0, size));
    }

    /// <summary>Source and destination rectangles of a fit; the destination of a letterbox is its content area.</summary>
    public static (SKRect Source, SKRect Destination) Placement(int sourceWidth, int sourceHeight, int width, int height, ImageFit fit)
    {
        var src = new SKRect(0, 0, sourceWidth, sourceHeight);
        var dst = new SKRect(0, 0, width, height);
        float sourceAspect = (float)sourceWidth / sourceHeight;
        float targetAspect = (float)width / height;
        switch (fit)
        {
            case ImageFit.CenterCrop when sourceAspect > targetAspect:
                {
                    float w = sourceHeight * targetAspect;
                    src = SKRect.Create((sourceWidth - w) / 2, 0, w, sourceHeight);
                    break;
                }
            case ImageFit.CenterCrop:
                {
                    float h = sourceWidth / targetAspect;
                    src = SKRect.Create(0, (sourceHeight - h) / 2, sourceWidth, h);
                    break;
                }
            case ImageFit.Letterbox when sourceAspect > targetAspect:
                {
                    float h = width / sourceAspect;
                    dst = SKRect.Create(0, (height - h) / 2, width, h);
                    break;
                }
            case ImageFit.Letterbox:
                {
                    float w = height * sourceAspect;
                    dst = SKRect.Create((width - w) / 2, 0, w, height);
                    break;
                }
        }
        return (src, dst);
    }

    /// <summary>
    /// Writes an opaque bitmap's pixels as bytes in CHW order: 1 channel = Rec. 601 luma, 3 = RGB.
    /// </summary>
    public static void ToBytes(SKBitmap bitmap, int channels, Span<byte> destination)
    {
        int plane = bitmap.Width * bitmap.Height;
        if (destination.Length != channels * plane)
            throw new ArgumentException($"destination holds {destination.Length} bytes; {channels}x{bitmap.Height}x{bitmap.Width} needs {channels * plane}");
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 && bitmap.AlphaType != SKAlphaType.Unpremul
            ? null
            : Convert(bitmap);
        var pixels = (rgba ?? bitmap).GetPixelSpan();
        for (int i = 0; i < plane; i++)
        {
            byte r = pixels[4 * i], g = pixels[4 * i + 1], b = pixels[4 * i + 2];
            if (channels == 1)
            {
                destination[i] = (byte)Math.Clamp((int)Math.Round(0.299 * r + 0.587 * g + 0.114 * b), 0, 255);
            }
            else
            {
                destination[i] = r;
                destination[plane + i] = g;
                destination[2 * plane + i] = b;
            }
        }
    }

    /// <summary>Decodes, fits and converts one file to CHW bytes.</summary>
    public static byte[] LoadBytes(string path, int size, int channels, ImageFit fit, SKColor background, ImageLimits? limits = null) =>
        LoadBytes(path, size, channels, fit, background, limits, out _, out _);

    /// <summary>Decodes, fits and converts one file to CHW bytes, and reports the decoded size.</summary>
    public static byte[] LoadBytes(string path, int size, int channels, ImageFit fit, SKColor background, ImageLimits? limits, out int width, out int height) =>
        LoadBytes(path, size, channels, fit, background, limits, out width, out height, out _);

    /// <summary>Decodes, fits and converts one file to CHW bytes; reports the decoded (upright) size and whether EXIF turned it.</summary>
    public static byte[] LoadBytes(string path, int size, int channels, ImageFit fit, SKColor background, ImageLimits? limits, out int width, out int height, out bool turned)
    {
        var encoded = ReadFile(path, limits);
        // Decodes side by side share one memory budget: a folder of large pictures is not decoded all at once.
        using var reservation = DecodeBudget.Shared.ReserveFor(encoded);
        using var decoded = Decode(encoded, path, limits, out turned);
        (width, height) = (decoded.Width, decoded.Height);
        using var fitted = Fit(decoded, size, size, fit, background);
        var bytes = new byte[channels * size * size];
        ToBytes(fitted, channels, bytes);
        return bytes;
    }

    /// <summary>CHW pixels in [-1, 1] (1 or 3 channels) to an opaque RGBA bitmap; values are clamped.</summary>
    public static SKBitmap FromPixels(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 or 3 channels, not {channels}");
        int plane = height * width;
        if (chw.Length != channels * plane)
            throw new ArgumentException($"{chw.Length} values cannot be a {channels}x{height}x{width} image");
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < plane; i++)
        {
            byte r = ToByte(chw[i]);
            byte g = channels == 3 ? ToByte(chw[plane + i]) : r;
            byte b = channels == 3 ? ToByte(chw[2 * plane + i]) : r;
            pixels[4 * i] = r;
            pixels[4 * i + 1] = g;
            pixels[4 * i + 2] = b;
            pixels[4 * i + 3] = 255;
        }
        return bitmap;
    }

    /// <summary>[-1, 1] → 0..255, rounding to nearest; the inverse of <see cref="ToUnit"/> on the byte grid.</summary>
    public static byte ToByte(float value)
    {
        var v = (value + 1f) * 127.5f;
        if (float.IsNaN(v)) return 0;
        return (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
    }

    /// <summary>0..255 → [-1, 1].</summary>
    public static float ToUnit(byte value) => value / 127.5f - 1f;

    /// <summary>
    /// Encodes a bitmap as PNG with text chunks (keyword → text). Every PNG Atelier writes names its software; the
    /// caller adds what the picture is (and, for generated images, "AI-generated by Atelier" and the recipe). A picture a
    /// model made gets its <paramref name="source"/>: an XMP packet (<see cref="XmpPacket"/>) that standard readers show
    /// as AI-generated.
    /// </summary>
    public static byte[] EncodePng(SKBitmap bitmap, IReadOnlyDictionary<string, string>? text = null, DigitalSource? source = null)
    {
        using var grey = AsGrey(bitmap);
        using var image = SKImage.FromBitmap(grey ?? bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var png = data.ToArray();
        var chunks = new Dictionary<string, string>();
        if (text?.ContainsKey("Software") != true) chunks["Software"] = "Atelier " + Platform.TorchRuntime.AtelierVersion;
        foreach (var (key, value) in text ?? new Dictionary<string, string>()) chunks[key] = value;
        if (source is DigitalSource s) chunks[XmpPacket.PngKeyword] = XmpPacket.Build(s, chunks);
        return PngText.Insert(png, chunks);
    }

    /// <summary>
    /// An opaque picture whose every pixel is grey (a 1-channel model's, or a grid of them) as an 8-bit grey bitmap,
    /// so that it is saved as a grey PNG (a third of the size, and what the picture is); null for any other.
    /// </summary>
    internal static SKBitmap? AsGrey(SKBitmap bitmap)
    {
        if (bitmap.ColorType is not (SKColorType.Rgba8888 or SKColorType.Bgra8888)) return null;
        var pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes, width = bitmap.Width;
        for (int y = 0; y < bitmap.Height; y++)
        {
            var row = pixels.Slice(y * rowBytes, 4 * width);
            for (int i = 0; i < row.Length; i += 4)
                if (row[i + 3] != 255 || row[i] != row[i + 1] || row[i] != row[i + 2]) return null;
        }
        var grey = new SKBitmap(new SKImageInfo(width, bitmap.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var target = grey.GetPixelSpan();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < width; x++)
                target[y * grey.RowBytes + x] = pixels[y * rowBytes + 4 * x];
        return grey;
    }

    /// <summary>Writes a PNG atomically (temp file, flush, rename).</summary>
    public static void SavePng(SKBitmap bitmap, string path, IReadOnlyDictionary<string, string>? text = null, DigitalSource? source = null) =>
        AtomicFile.WriteAllBytes(path, EncodePng(bitmap, text, source));

    private static SKBitmap Convert(SKBitmap bitmap)
    {
        // Composite onto black only if the caller did not fit (Fit already made pixels opaque).
        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var converted = new SKBitmap(info);
        using var canvas = new SKCanvas(converted);
        canvas.Clear(SKColors.Black);
        canvas.DrawBitmap(bitmap, 0, 0);
        return converted;
    }
}

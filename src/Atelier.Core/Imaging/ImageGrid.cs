using SkiaSharp;

namespace Atelier.Imaging;

public static class ImageGrid
{
    /// <summary>
    /// Composes a grid from CHW images in [-1, 1] stored one after another in <paramref name="pixels"/>.
    /// Cell i sits at row i / columns, column i % columns, at
    /// (padding + column·(width·scale + padding), padding + row·(cell height + padding)).
    /// </summary>
    public static SKBitmap Compose(ReadOnlySpan<float> pixels, int count, int channels, int height, int width,
        ImageGridOptions? options = null, IReadOnlyList<string>? captions = null)
    {
        options ??= new ImageGridOptions();
        if (count <= 0) throw new ArgumentException("a grid needs at least one image");
        int perImage = channels * height * width;
        if (pixels.Length < count * perImage) throw new ArgumentException($"{pixels.Length} values cannot hold {count} images of {perImage}");
        int columns = options.ColumnsFor(count);
        int rows = (count + columns - 1) / columns;
        int cellWidth = width * options.Scale, imageHeight = height * options.Scale;
        bool captioned = captions is { Count: > 0 };
        using var font = captioned ? GridFont.Create(Math.Max(9, Math.Min(14, cellWidth / 6))) : null;
        int captionHeight = captioned ? (int)Math.Ceiling(font!.Size * 1.4f) : 0;
        int cellHeight = imageHeight + captionHeight;
        int pad = options.Padding;
        SKBitmap? owned = null; // the recommended dispose pattern: freed here unless it reaches the caller
        try
        {
            var grid = owned = new SKBitmap(new SKImageInfo(pad + columns * (cellWidth + pad), pad + rows * (cellHeight + pad), SKColorType.Rgba8888, SKAlphaType.Premul));
            using var canvas = new SKCanvas(grid);
            canvas.Clear(options.Background ?? new SKColor(24, 24, 24));
            using var textPaint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            for (int i = 0; i < count; i++)
            {
                int x = pad + i % columns * (cellWidth + pad);
                int y = pad + i / columns * (cellHeight + pad);
                using var tile = ImageCodec.FromPixels(pixels.Slice(i * perImage, perImage), channels, height, width);
                using var image = SKImage.FromBitmap(tile);
                canvas.DrawImage(image, SKRect.Create(x, y, cellWidth, imageHeight), new SKSamplingOptions(SKFilterMode.Nearest));
                if (captioned && i < captions!.Count && font is not null)
                    canvas.DrawText(captions[i], x + 1, y + imageHeight + font.Size, SKTextAlign.Left, font, textPaint);
            }
            canvas.Flush();
            owned = null;
            return grid;
        }
        finally
        {
            owned?.Dispose();
        }
    }
}

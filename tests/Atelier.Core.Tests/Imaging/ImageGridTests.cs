using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Core.Tests.Imaging;

public sealed class ImageGridTests
{
    [Fact]
    public void Cells_sit_at_padding_plus_index_times_stride()
    {
        // Five 2x3 (h x w) grey images of levels 0, 50, 100, 150, 200 in 3 columns with padding 1.
        const int count = 5, h = 2, w = 3;
        var pixels = new float[count * h * w];
        for (int i = 0; i < count; i++) Array.Fill(pixels, ImageCodec.ToUnit((byte)(i * 50)), i * h * w, h * w);
        using var grid = ImageGrid.Compose(pixels, count, 1, h, w, new ImageGridOptions(Columns: 3, Padding: 1, Background: new SKColor(255, 0, 255)));
        Assert.Equal(1 + 3 * (w + 1), grid.Width);
        Assert.Equal(1 + 2 * (h + 1), grid.Height);
        for (int i = 0; i < count; i++)
        {
            int x = 1 + i % 3 * (w + 1), y = 1 + i / 3 * (h + 1);
            var level = (byte)(i * 50);
            Assert.Equal(new SKColor(level, level, level), grid.GetPixel(x, y));
            Assert.Equal(new SKColor(level, level, level), grid.GetPixel(x + w - 1, y + h - 1));
        }
        Assert.Equal(new SKColor(255, 0, 255), grid.GetPixel(0, 0));
        Assert.Equal(new SKColor(255, 0, 255), grid.GetPixel(1 + 2 * (w + 1), 1 + h + 1)); // the empty sixth cell
    }

    [Fact]
    public void Default_columns_make_the_smallest_square()
    {
        Assert.Equal(8, new ImageGridOptions().ColumnsFor(64));
        Assert.Equal(3, new ImageGridOptions().ColumnsFor(7));
        Assert.Equal(5, new ImageGridOptions(Columns: 5).ColumnsFor(64));
    }

    [Fact]
    public void Captions_add_a_text_row_under_each_cell()
    {
        var pixels = new float[2 * 3 * 16 * 16];
        using var plain = ImageGrid.Compose(pixels, 2, 3, 16, 16);
        using var captioned = ImageGrid.Compose(pixels, 2, 3, 16, 16, captions: ["dress", "bag"]);
        Assert.True(captioned.Height > plain.Height);
        Assert.Equal(plain.Width, captioned.Width);
    }
}

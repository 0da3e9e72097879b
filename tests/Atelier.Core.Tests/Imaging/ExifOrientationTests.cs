using Atelier.Data;
using Atelier.Imaging;
using SkiaSharp;

namespace Atelier.Core.Tests.Imaging;

public sealed class ExifOrientationTests
{
    /// <summary>A JPEG of <paramref name="bitmap"/> with an EXIF APP1 segment holding only the Orientation tag (0x0112).</summary>
    internal static byte[] JpegWithOrientation(SKBitmap bitmap, ushort orientation)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 100);
        var jpeg = data.ToArray();
        // "Exif\0\0", a big-endian TIFF header, one IFD of one SHORT entry, no next IFD.
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, 0, 0, 0, 0];
        byte[] exif = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = exif.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        return [jpeg[0], jpeg[1], .. app1, .. jpeg[2..]];
    }

    /// <summary>32 wide, 16 high: red on the left half, blue on the right, a green block in the top-left corner.</summary>
    private static SKBitmap Marked()
    {
        var bitmap = new SKBitmap(new SKImageInfo(32, 16, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 32; x++)
                bitmap.SetPixel(x, y, x < 8 && y < 8 ? SKColors.Lime : x < 16 ? SKColors.Red : SKColors.Blue);
        return bitmap;
    }

    private static string Colour(SKColor c) => c.Green > 160 && c.Red < 100 ? "green" : c.Red > 160 ? "red" : c.Blue > 160 ? "blue" : $"{c}";

    [Theory]
    // orientation, displayed size, colour at the displayed top-left, top-right, bottom-left and bottom-right corners
    [InlineData(1, 32, 16, "green", "blue", "red", "blue")]
    [InlineData(2, 32, 16, "blue", "green", "blue", "red")]
    [InlineData(3, 32, 16, "blue", "red", "blue", "green")]
    [InlineData(4, 32, 16, "red", "blue", "green", "blue")]
    [InlineData(5, 16, 32, "green", "red", "blue", "blue")]
    [InlineData(6, 16, 32, "red", "green", "blue", "blue")]
    [InlineData(7, 16, 32, "blue", "blue", "red", "green")]
    [InlineData(8, 16, 32, "blue", "blue", "green", "red")]
    public void A_jpeg_comes_out_as_its_exif_orientation_says(ushort orientation, int width, int height, string topLeft, string topRight, string bottomLeft, string bottomRight)
    {
        using var marked = Marked();
        using var decoded = ImageCodec.Decode(JpegWithOrientation(marked, orientation), "phone.jpg", null, out bool turned);
        Assert.Equal(orientation != 1, turned);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal([topLeft, topRight, bottomLeft, bottomRight],
            new[] { decoded.GetPixel(2, 2), decoded.GetPixel(width - 3, 2), decoded.GetPixel(2, height - 3), decoded.GetPixel(width - 3, height - 3) }.Select(Colour));
    }

    [Fact]
    public void A_folder_of_phone_pictures_trains_upright_and_gets_a_fingerprint_of_its_own()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("phone")).FullName;
        var file = Path.Combine(root, "a.jpg");
        using var marked = Marked();
        File.WriteAllBytes(file, JpegWithOrientation(marked, 1));
        var time = File.GetLastWriteTimeUtc(file);
        var options = new ImageFolderOptions(16, 3, Fit: ImageFit.Stretch);
        var plain = ImageFolderSource.Open(root, options, temp.File("cache"));
        // The same picture marked "turn 90° clockwise": same size, same time; only the content differs.
        File.WriteAllBytes(file, JpegWithOrientation(marked, 6));
        File.SetLastWriteTimeUtc(file, time);
        var turned = ImageFolderSource.Open(root, options, temp.File("cache"));
        byte R(ImageSet set, int x, int y) => set.Pixels[y * 16 + x];
        byte B(ImageSet set, int x, int y) => set.Pixels[2 * 256 + y * 16 + x];
        // Upright, red is left and blue right; turned, the red half is on top and the blue below.
        Assert.True(R(plain, 6, 12) > 160 && B(plain, 12, 12) > 160, "the upright picture is not as drawn");
        Assert.True(R(turned, 6, 6) > 160 && B(turned, 6, 13) > 160 && R(turned, 12, 6) > 160, "the sideways picture was not turned upright");
        // Its pixels changed, so its fingerprint did (a run on the old pixels is not resumed on these); cached, it is the same.
        Assert.NotEqual(plain.Fingerprint, turned.Fingerprint);
        Assert.Equal(turned.Fingerprint, ImageFolderSource.Open(root, options, temp.File("cache")).Fingerprint);
        Assert.StartsWith("folder-", turned.Fingerprint, StringComparison.Ordinal);
    }
}

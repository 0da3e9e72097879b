using Atelier.Data;
using Atelier.Imaging;
using Atelier.Platform;
using SkiaSharp;

namespace Atelier.Core.Tests.Data;

public sealed class ImageFolderSourceTests
{
    /// <summary>A folder with every kind of good and bad file the loader must handle.</summary>
    private static (int Good, string[] Bad) Populate(string root, string outside)
    {
        Directory.CreateDirectory(Path.Combine(root, "cats"));
        Directory.CreateDirectory(Path.Combine(root, "dogs"));
        using var square = TestImages.Gradient(20, 20);
        TestImages.WritePng(Path.Combine(root, "cats", "plain.png"), square);
        TestImages.WriteEncoded(Path.Combine(root, "cats", "photo.jpg"), square, SKEncodedImageFormat.Jpeg);
        TestImages.WriteEncoded(Path.Combine(root, "cats", "lossy.webp"), square, SKEncodedImageFormat.Webp);
        File.Copy(TestImages.FixturePath("cmyk.jpg"), Path.Combine(root, "cats", "cmyk.jpg"));
        File.WriteAllBytes(Path.Combine(root, "cats", "palette.png"), TestImages.RawPng(4, 4, 3, 8, y => [0, 1, 0, 1], [255, 0, 0, 0, 0, 255]));
        File.WriteAllBytes(Path.Combine(root, "dogs", "sixteen.png"), TestImages.RawPng(3, 3, 2, 16, y => new byte[18]));
        File.WriteAllBytes(Path.Combine(root, "dogs", "grey-alpha.png"), TestImages.RawPng(3, 3, 4, 8, y => [10, 0, 20, 128, 30, 255]));
        using var frame = TestImages.Gradient(12, 12);
        File.WriteAllBytes(Path.Combine(root, "dogs", "animated.gif"), GifWriter.Encode([frame, frame, frame]));
        TestImages.WritePng(Path.Combine(root, "dogs", "名前 ñ.png"), square);
        using var panorama = TestImages.Gradient(2400, 60);
        TestImages.WriteEncoded(Path.Combine(root, "dogs", "panorama.jpg"), panorama, SKEncodedImageFormat.Jpeg);
        TestImages.WritePng(Path.Combine(root, "dogs", "really-a-png.jpg"), square); // wrong extension, good content
        File.WriteAllBytes(Path.Combine(root, "dogs", "bitmap.bmp"), TestImages.Bmp(square));
        const int good = 12;

        var png = ImageCodec.EncodePng(square);
        File.WriteAllBytes(Path.Combine(root, "cats", "truncated.png"), png[..(png.Length / 2)]);
        File.WriteAllBytes(Path.Combine(root, "cats", "empty.png"), []);
        File.WriteAllBytes(Path.Combine(root, "cats", "corrupt.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7]);
        File.WriteAllText(Path.Combine(root, "dogs", "notes.txt"), "a text file");
        File.WriteAllText(Path.Combine(root, "dogs", "text.png"), "text with an image extension");
        File.WriteAllBytes(Path.Combine(root, "dogs", "huge.png"), TestImages.RawPng(50000, 50000, 0, 8, _ => new byte[50000]));
        TestImages.WritePng(Path.Combine(outside, "secret.png"), square);
        File.CreateSymbolicLink(Path.Combine(root, "dogs", "escape.png"), Path.Combine(outside, "secret.png"));
        return (good, ["truncated.png", "empty.png", "corrupt.jpg", "notes.txt", "text.png", "huge.png", "escape.png"]);
    }

    [Fact]
    public void Loads_every_good_kind_and_skips_every_bad_one_with_a_warning_naming_it()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("art")).FullName;
        var outside = Directory.CreateDirectory(temp.File("outside")).FullName;
        var (good, bad) = Populate(root, outside);
        var warnings = new List<string>();
        var set = ImageFolderSource.Open(root, new ImageFolderOptions(16, 3, FolderLabels: true), temp.File("cache"), warnings.Add);
        Assert.Equal(good, set.Count);
        Assert.Equal(bad.Length, set.Skipped.Count);
        foreach (var name in bad)
        {
            Assert.Single(warnings, w => w.Contains(name, StringComparison.Ordinal));
            Assert.Single(set.Skipped, s => Path.GetFileName(s.Path) == name);
        }
        Assert.Contains("outside the folder", set.Skipped.Single(s => s.Path.EndsWith("escape.png", StringComparison.Ordinal)).Reason);
        Assert.Contains("50000x50000", set.Skipped.Single(s => s.Path.EndsWith("huge.png", StringComparison.Ordinal)).Reason);
        Assert.Equal(["cats", "dogs"], set.Classes);
        Assert.Equal(5, set.Labels!.Count(l => l == 0));
        Assert.Equal(7, set.Labels!.Count(l => l == 1));
    }

    [Fact]
    public void Cache_is_hit_when_unchanged_and_invalidated_when_a_file_changes()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("art")).FullName;
        using (var a = TestImages.Gradient(30, 30)) TestImages.WritePng(Path.Combine(root, "a.png"), a);
        using (var b = TestImages.Gradient(10, 40)) TestImages.WritePng(Path.Combine(root, "b.png"), b);
        var options = new ImageFolderOptions(8, 3);
        var cache = temp.File("cache");
        var first = ImageFolderSource.Open(root, options, cache);
        var cachePath = ImageFolderSource.CachePath(root, options, cache);
        Assert.True(File.Exists(cachePath));
        var written = File.GetLastWriteTimeUtc(cachePath);

        // Make the cache distinguishable: if the second open decoded again it would not see this marker.
        var bytes = File.ReadAllBytes(cachePath);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(cachePath, bytes);
        File.SetLastWriteTimeUtc(cachePath, written);
        var second = ImageFolderSource.Open(root, options, cache);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.Pixels[^1] ^ 0xFF, second.Pixels[^1]);

        using (var c = TestImages.Gradient(31, 30)) TestImages.WritePng(Path.Combine(root, "a.png"), c);
        File.SetLastWriteTimeUtc(Path.Combine(root, "a.png"), DateTime.UtcNow.AddMinutes(1));
        var third = ImageFolderSource.Open(root, options, cache);
        Assert.NotEqual(first.Fingerprint, third.Fingerprint);
        Assert.NotEqual(cachePath, ImageFolderSource.CachePath(root, options, cache));
        Assert.Equal(first.Pixels[^1], third.Pixels[^1]);

        var otherOptions = ImageFolderSource.CachePath(root, options with { Fit = ImageFit.Letterbox }, cache);
        Assert.NotEqual(ImageFolderSource.CachePath(root, options, cache), otherOptions);
    }

    [Fact]
    public void Two_folders_with_files_of_one_name_size_and_time_never_share_a_cache_entry()
    {
        using var temp = new TempFolder();
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        string Folder(string name, SKColor colour)
        {
            var root = Directory.CreateDirectory(temp.File(name)).FullName;
            using var bitmap = new SKBitmap(8, 8);
            bitmap.Erase(colour);
            var file = Path.Combine(root, "x.bmp");
            File.WriteAllBytes(file, TestImages.Bmp(bitmap)); // a BMP's size depends on its side only
            File.SetLastWriteTimeUtc(file, time);
            return root;
        }
        var red = Folder("red", SKColors.Red);
        var blue = Folder("blue", SKColors.Blue);
        Assert.Equal(new FileInfo(Path.Combine(red, "x.bmp")).Length, new FileInfo(Path.Combine(blue, "x.bmp")).Length);
        var options = new ImageFolderOptions(8, 3);
        var cache = temp.File("cache");
        var first = ImageFolderSource.Open(red, options, cache);
        var second = ImageFolderSource.Open(blue, options, cache);
        Assert.Equal(255, first.Pixels[0]);
        Assert.Equal(0, second.Pixels[0]);
        Assert.Equal(255, second.Pixels[2 * 64]);
        Assert.NotEqual(ImageFolderSource.CachePath(red, options, cache), ImageFolderSource.CachePath(blue, options, cache));

        // Rewritten in place with its old size and time, a file is decoded again (the key covers the bytes).
        File.Copy(Path.Combine(blue, "x.bmp"), Path.Combine(red, "x.bmp"), overwrite: true);
        File.SetLastWriteTimeUtc(Path.Combine(red, "x.bmp"), time);
        Assert.Equal(0, ImageFolderSource.Open(red, options, cache).Pixels[0]);

        // A link to a folder names the same cache entry as the folder; the entry records which folder it holds.
        var link = temp.File("link-to-blue");
        Directory.CreateSymbolicLink(link, blue);
        Assert.Equal(ImageFolderSource.CachePath(blue, options, cache), ImageFolderSource.CachePath(link, options, cache));
        Assert.Equal(FolderWalk.RealPath(blue), FolderWalk.RealPath(link));
    }

    [Fact]
    public void A_cache_from_another_format_or_not_a_cache_at_all_is_named_and_rebuilt()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("art")).FullName;
        using (var a = TestImages.Gradient(12, 12)) TestImages.WritePng(Path.Combine(root, "a.png"), a);
        var options = new ImageFolderOptions(8, 3);
        var cache = temp.File("cache");
        var first = ImageFolderSource.Open(root, options, cache);
        var cachePath = ImageFolderSource.CachePath(root, options, cache);
        var written = File.GetLastWriteTimeUtc(cachePath);
        foreach (var (header, expected) in new[] { ([0x41, 0x54, 0x4C, 0x43, 1, 0, 0, 0], "cache format 1 by another version"), (new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "not an Atelier folder cache") })
        {
            File.WriteAllBytes(cachePath, header);
            File.SetLastWriteTimeUtc(cachePath, written);
            var warnings = new List<string>();
            var again = ImageFolderSource.Open(root, options, cache, warnings.Add);
            Assert.Contains(warnings, w => w.Contains(expected, StringComparison.Ordinal) && w.Contains("decoding the folder again", StringComparison.Ordinal));
            Assert.Equal(first.Pixels, again.Pixels);
        }
    }

    [Fact]
    public void Folder_with_nothing_usable_names_the_folder()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("empty-art")).FullName;
        File.WriteAllText(Path.Combine(root, "readme.txt"), "nothing here");
        var e = Assert.Throws<DatasetNotFoundException>(() => ImageFolderSource.Open(root, new ImageFolderOptions(8), temp.File("cache")));
        Assert.Contains(root, e.Message);
        Assert.Contains("no usable images", e.Message);
    }

    [Fact]
    public void Resolver_explains_unknown_names()
    {
        var resolver = new DatasetResolver(new AtelierPaths(Path.GetTempPath()));
        Assert.Contains("procedural:kandinsky", Assert.Throws<DatasetNotFoundException>(() => resolver.Open(new DatasetRequest("no-such-thing"))).Message);
        Assert.Contains("procedural:mondrian", Assert.Throws<DatasetNotFoundException>(() => resolver.Open(new DatasetRequest("procedural:picasso"))).Message);
    }
}

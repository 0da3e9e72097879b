using System.Diagnostics;
using Atelier.Data;

namespace Atelier.Core.Tests.Data;

/// <summary>
/// Folders built to break a walk: symbolic-link loops, a link to the folder itself, a FIFO, a socket, a name that is not
/// UTF-8, and JPEG, WebP and GIF files whose headers declare far more pixels than allowed.
/// Every entry gets a bounded, named outcome; the good images are all read; nothing hangs.
/// </summary>
public sealed class HostileFolderTests
{
    /// <summary>Runs a shell line in <paramref name="folder"/> (what .NET cannot make: FIFOs, names that are not UTF-8).</summary>
    private static void Shell(string folder, string line)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", line]) { WorkingDirectory = folder, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{line}: {error}");
    }

    /// <summary>3 good images (a.png, sub/c.png and a link to a.png) among everything else; returns the entries that must be skipped, by reason.</summary>
    private static Dictionary<string, string> Populate(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        using var square = TestImages.Gradient(20, 20);
        TestImages.WritePng(Path.Combine(root, "a.png"), square);
        TestImages.WritePng(Path.Combine(root, "sub", "c.png"), square);
        File.CreateSymbolicLink(Path.Combine(root, "sub", "alink.png"), "../a.png");
        File.CreateSymbolicLink(Path.Combine(root, "loop.png"), "b.png");
        File.CreateSymbolicLink(Path.Combine(root, "b.png"), "loop.png");
        File.CreateSymbolicLink(Path.Combine(root, "self.png"), "self.png");
        Directory.CreateSymbolicLink(Path.Combine(root, "sub", "up"), "..");
        Shell(root, "mkfifo pipe.png");
        // "bad\377.png": a byte that is not UTF-8, as a camera card or an old archive may hold; a real PNG inside.
        Shell(root, "cp a.png \"$(printf 'bad\\377.png')\"");
        // A socket where an image should be (never opened, like the FIFO); .NET removes its own socket files on close.
        Shell(root, "python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('socket.png')\"");
        // Decompression bombs of the other formats: small files whose headers declare far more pixels than allowed.
        File.WriteAllBytes(Path.Combine(root, "bomb.jpg"), Bomb(square, SkiaSharp.SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(Path.Combine(root, "bomb.webp"), Bomb(square, SkiaSharp.SKEncodedImageFormat.Webp));
        File.WriteAllBytes(Path.Combine(root, "bomb.gif"), Bomb(square, SkiaSharp.SKEncodedImageFormat.Gif));
        return new()
        {
            ["socket.png"] = "not a regular file",
            ["bomb.jpg"] = "refused before decoding",
            ["bomb.webp"] = "refused before decoding",
            ["bomb.gif"] = "refused before decoding",
            ["loop.png"] = "a loop of symbolic links",
            ["b.png"] = "a loop of symbolic links",
            ["self.png"] = "a loop of symbolic links",
            ["up"] = "a link to a folder of this folder",
            ["pipe.png"] = "not a regular file",
            ["bad\uFFFD.png"] = "not valid UTF-8",
        };
    }

    /// <summary>A real encoded image whose header is changed to declare a huge size (JPEG 60000x60000, WebP 16383x16383, GIF 40000x40000).</summary>
    private static byte[] Bomb(SkiaSharp.SKBitmap bitmap, SkiaSharp.SKEncodedImageFormat format)
    {
        byte[] bytes;
        if (format == SkiaSharp.SKEncodedImageFormat.Gif)
        {
            // Skia encodes no GIF: a minimal one by hand, a 1x1 frame on a 40000x40000 logical screen.
            bytes = [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 0x40, 0x9C, 0x40, 0x9C, 0x80, 0, 0, 0, 0, 0, 255, 255, 255,
                0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B];
            return bytes;
        }
        using (var image = SkiaSharp.SKImage.FromBitmap(bitmap))
        using (var data = image.Encode(format, 90))
            bytes = data.ToArray();
        if (format == SkiaSharp.SKEncodedImageFormat.Jpeg)
        {
            int sof = Enumerable.Range(0, bytes.Length - 1).First(i => bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC1 or 0xC2);
            bytes[sof + 5] = 0xEA; bytes[sof + 6] = 0x60; // height 60000
            bytes[sof + 7] = 0xEA; bytes[sof + 8] = 0x60; // width 60000
        }
        else
        {
            // Lossy VP8: the frame's start code 9d 01 2a, then 14-bit width and height (little-endian).
            int code = Enumerable.Range(0, bytes.Length - 2).First(i => bytes[i] == 0x9D && bytes[i + 1] == 0x01 && bytes[i + 2] == 0x2A);
            bytes[code + 3] = 0xFF; bytes[code + 4] = 0x3F;
            bytes[code + 5] = 0xFF; bytes[code + 6] = 0x3F;
            // An extended file (VP8X, for alpha) declares the canvas too: 24-bit width - 1 and height - 1.
            if (bytes[12] == 'V' && bytes[13] == 'P' && bytes[14] == '8' && bytes[15] == 'X')
                foreach (int at in new[] { 24, 27 }) (bytes[at], bytes[at + 1], bytes[at + 2]) = (0xFE, 0x3F, 0);
        }
        return bytes;
    }

    private static T Within<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(TimeSpan.FromSeconds(60)), "the walk did not finish within 60 s (a FIFO or a loop is being followed)");
        return task.Result;
    }

    [Fact]
    public void Training_data_reads_every_good_image_and_names_every_hostile_entry()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("hostile")).FullName;
        var expected = Populate(root);
        var warnings = new List<string>();
        var set = Within(() => ImageFolderSource.Open(root, new ImageFolderOptions(8, 3), temp.File("cache"), warnings.Add));
        Assert.Equal(3, set.Count);
        foreach (var (name, reason) in expected)
            Assert.True(set.Skipped.Any(s => Path.GetFileName(s.Path) == name && s.Reason.Contains(reason, StringComparison.Ordinal)),
                $"{name} ({reason}) not among: " + string.Join("; ", set.Skipped.Select(s => $"{Path.GetFileName(s.Path)}: {s.Reason}")));
        Assert.Equal(expected.Count, set.Skipped.Count);
        Assert.Equal(expected.Count, warnings.Count);

        // A new hostile entry beside the same good files: the cached set must not report the old walk's entries.
        Shell(root, "mkfifo second-pipe.png");
        var again = Within(() => ImageFolderSource.Open(root, new ImageFolderOptions(8, 3), temp.File("cache")));
        Assert.Equal(set.Pixels, again.Pixels);
        Assert.Contains(again.Skipped, s => Path.GetFileName(s.Path) == "second-pipe.png");
        Assert.Equal(expected.Count + 1, again.Skipped.Count);
    }

    [Fact]
    public void The_audit_walks_the_same_way_and_reports_the_same_entries()
    {
        using var temp = new TempFolder();
        var root = Directory.CreateDirectory(temp.File("hostile")).FullName;
        var expected = Populate(root);
        var audit = Within(() => DatasetAudit.Run(root));
        // The folder link is not followed: three images, not the same ones again through sub/up.
        Assert.Equal(["a.png", "sub/alink.png", "sub/c.png"], audit.Images.Select(i => i.Path).Order(StringComparer.Ordinal));
        foreach (var (name, reason) in expected)
            Assert.Contains(audit.Unreadable, s => Path.GetFileName(s.Path) == name && s.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(expected.Count, audit.Unreadable.Count);
        Assert.Single(audit.ExactDuplicates);
    }
}

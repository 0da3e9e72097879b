using System.Diagnostics;
using Atelier.Data;

namespace Atelier.Core.Tests.Data;

/// <summary>
/// Folders built to break a walk: symbolic-link loops, a link to the folder itself, a FIFO, a name that is not UTF-8.
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
        return new()
        {
            ["loop.png"] = "a loop of symbolic links",
            ["b.png"] = "a loop of symbolic links",
            ["self.png"] = "a loop of symbolic links",
            ["up"] = "a link to a folder of this folder",
            ["pipe.png"] = "not a regular file",
            ["bad\uFFFD.png"] = "not valid UTF-8",
        };
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
            Assert.Contains(set.Skipped, s => Path.GetFileName(s.Path) == name && s.Reason.Contains(reason, StringComparison.Ordinal));
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

using Atelier.Platform;

namespace Atelier.Core.Tests.Platform;

public class SafePathTests
{
    [Fact]
    public void NamesInsideTheRootResolveAndEscapesAreRefused()
    {
        using var temp = new TempFolder();
        var root = temp.File("runs");
        Directory.CreateDirectory(Path.Combine(root, "00001-run", "samples"));
        Directory.CreateDirectory(temp.File("secret"));
        File.WriteAllText(temp.File("secret/key.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), temp.File("secret"));
        File.CreateSymbolicLink(Path.Combine(root, "00001-run", "samples", "leak.png"), temp.File("secret/key.txt"));
        Directory.CreateDirectory(Path.Combine(root, "00002-run"));
        File.CreateSymbolicLink(Path.Combine(root, "alias"), Path.Combine(root, "00002-run"));

        Assert.Equal(Path.Combine(root, "00001-run", "samples"), SafePath.Resolve(root, "00001-run/samples"));
        Assert.Equal(Path.Combine(root, "00001-run", "new.png"), SafePath.Resolve(root, "00001-run/new.png")); // not there yet: fine
        Assert.Equal(Path.Combine(root, "alias"), SafePath.Resolve(root, "alias")); // a link that stays inside
        foreach (var bad in new[] { "..", "../secret/key.txt", "00001-run/../../secret", "/etc/passwd", "%2e%2e/secret", "00001-run//x",
                     "a\\..\\b", "./00001-run", "escape/key.txt", "escape", "00001-run/samples/leak.png", "~/x", "", " ", "a\0b" })
            Assert.True(SafePath.Resolve(root, bad) is null, $"'{bad}' was allowed");
    }
}

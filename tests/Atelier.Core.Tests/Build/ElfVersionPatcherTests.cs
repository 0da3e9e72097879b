using Atelier.Build;

namespace Atelier.Core.Tests.Build;

public sealed class ElfVersionPatcherTests
{
    private const string Needed = "GLIBCXX_3.4.32";

    /// <summary>The unmodified library as NuGet ships it.</summary>
    private static string PristineLibrary()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"restore should have placed {path}");
        return path;
    }

    [Fact]
    public void Pristine_library_needs_the_version_strongly()
    {
        var needs = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(PristineLibrary()));
        var need = Assert.Single(needs, n => n.Version == Needed);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4");
    }

    [Fact]
    public void Patch_marks_only_the_missing_allowed_version_weak_and_is_idempotent()
    {
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary(), copy);
        var before = File.ReadAllBytes(copy);
        var defined = new HashSet<string> { "GLIBCXX_3.4", "GLIBCXX_3.4.30" };

        var first = ElfVersionPatcher.Patch(copy, "libstdc++.so.6", defined, new HashSet<string> { Needed });
        Assert.Equal([Needed], first.MarkedWeak);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(before[offset] | ElfVersionPatcher.VerFlgWeak, after[offset]);
        var needs = ElfVersionPatcher.ReadVersionNeeds(after);
        Assert.True(needs.Single(n => n.Version == Needed).IsWeak);
        Assert.All(needs.Where(n => n.Version != Needed), n => Assert.False(n.IsWeak));

        var second = ElfVersionPatcher.Patch(copy, "libstdc++.so.6", defined, new HashSet<string> { Needed });
        Assert.False(second.Changed);
        Assert.Equal([Needed], second.AlreadyWeak);
        Assert.Equal(after, File.ReadAllBytes(copy));
    }

    [Fact]
    public void Patch_leaves_the_file_alone_where_the_system_defines_the_version()
    {
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary(), copy);
        var needs = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(copy));
        var everything = needs.Select(n => n.Version).ToHashSet();
        var result = ElfVersionPatcher.Patch(copy, "libstdc++.so.6", everything, new HashSet<string> { Needed });
        Assert.False(result.Changed);
        Assert.Equal(File.ReadAllBytes(PristineLibrary()), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Portable_patch_for_packages_weakens_the_allowed_version_even_where_this_system_has_it()
    {
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary(), copy);
        var allowed = new HashSet<string> { Needed };
        var defined = ElfVersionPatcher.PortableDefinitions(File.ReadAllBytes(copy), allowed);
        Assert.DoesNotContain(Needed, defined);
        Assert.Contains("GLIBCXX_3.4", defined);
        var result = ElfVersionPatcher.Patch(copy, "libstdc++.so.6", defined, allowed);
        Assert.Equal([Needed], result.MarkedWeak);
        Assert.Empty(result.MissingNotAllowed);
        var needs = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(copy));
        Assert.True(needs.Single(n => n.Version == Needed).IsWeak);
        Assert.All(needs.Where(n => n.Version != Needed), n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void Patch_refuses_to_weaken_versions_not_known_to_be_safe()
    {
        using var temp = new TempFolder();
        var copy = temp.File("libLibTorchSharp.so");
        File.Copy(PristineLibrary(), copy);
        var result = ElfVersionPatcher.Patch(copy, "libstdc++.so.6", new HashSet<string>(), new HashSet<string> { Needed });
        Assert.Equal([Needed], result.MarkedWeak);
        Assert.Contains("GLIBCXX_3.4", result.MissingNotAllowed);
    }

    [Fact]
    public void System_libstdcxx_versions_are_read_from_its_verdef()
    {
        var system = ElfVersionPatcher.FindSystemLibStdCxx();
        Assert.NotNull(system);
        var defined = ElfVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(system!));
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void Built_copy_next_to_the_tests_is_loadable_here()
    {
        var built = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(built), built);
        var system = ElfVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(ElfVersionPatcher.FindSystemLibStdCxx()!));
        var need = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(built)).Single(n => n.Version == Needed);
        // Either the system has the version (no patch needed) or the build marked it weak.
        Assert.True(system.Contains(Needed) || need.IsWeak);
    }
}

using System.Diagnostics;
using Atelier.Build;
using Atelier.Imaging;

namespace Atelier.Core.Tests.Build;

/// <summary>
/// Atelier.Core as an outside program uses it: `dotnet pack` into a feed, the sample of samples/UseFromCSharp copied
/// out of the repository (none of its build settings apply), restored from that feed, built and run.
/// </summary>
public sealed class LibraryPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void The_packed_library_builds_and_runs_the_sample_outside_the_repository()
    {
        using var temp = new TempFolder();
        var root = RepositoryRoot();
        var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        var feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        Dotnet(root, TimeSpan.FromMinutes(3), "pack", Path.Combine(root, "src", "Atelier.Core"), "-c", Configuration, "--no-build", "-o", feed, "-p:Version=" + version);

        var package = Path.Combine(feed, $"Atelier.Core.{version}.nupkg");
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            foreach (var expected in new[] { "lib/net10.0/Atelier.Core.dll", "lib/net10.0/Atelier.Core.xml", "buildTransitive/Atelier.Core.targets",
                "buildTransitive/Atelier.Build.targets", "buildTransitive/ElfVersionPatcher.cs", "models/resnet18/ResNet18.onnx", "README.md" })
                Assert.Contains(expected, entries);
        }

        // The sample, alone in a folder outside the repository, with its own package folder (a package of this
        // version is never in the user's cache) and the user's cache as a read-only fallback for the dependencies.
        var sample = Directory.CreateDirectory(temp.File("sample")).FullName;
        foreach (var file in new[] { "Program.cs", "UseFromCSharp.csproj" })
            File.Copy(Path.Combine(root, "samples", "UseFromCSharp", file), Path.Combine(sample, file));
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(sample, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{temp.File("packages")}" /></config>
              <fallbackPackageFolders><clear /><add key="cache" value="{cache}" /></fallbackPackageFolders>
              <packageSources><clear /><add key="test-feed" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
            </configuration>
            """);
        Dotnet(sample, TimeSpan.FromMinutes(4), "build", "-c", "Release", "-p:AtelierCoreVersion=" + version);
        var output = Path.Combine(sample, "bin", "Release", "net10.0");

        // The package's targets: the model files beside the program, and the GLIBCXX requirement weak where needed.
        Assert.True(File.Exists(Path.Combine(output, "models", "resnet18", "ResNet18.onnx")));
        Assert.True(File.Exists(Path.Combine(output, "models", "style-decoders", "resnet18-decoders.safetensors")));
        var torch = Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var system = ElfVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(ElfVersionPatcher.FindSystemLibStdCxx()!));
        var need = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(torch)).Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.True(system.Contains("GLIBCXX_3.4.32") || need.IsWeak, "the package's targets should mark GLIBCXX_3.4.32 weak where libstdc++ lacks it");

        var run = temp.File("run");
        var printed = Dotnet(sample, TimeSpan.FromMinutes(3), Path.Combine(output, "UseFromCSharp.dll"), run);
        Assert.Contains("trained 20 steps", printed, StringComparison.Ordinal);
        var png = Path.Combine(run, "seed0007.png");
        Assert.Contains($"generated: {png}", printed, StringComparison.Ordinal);
        Assert.Matches(@"evaluated: fid \d", printed);
        Assert.Contains("protocol: network=resnet18-imagenet", printed, StringComparison.Ordinal);
        Assert.Contains("n_real=200; n_fake=200", printed, StringComparison.Ordinal);
        using var image = ImageCodec.Decode(png);
        Assert.Equal((32, 32), (image.Width, image.Height));
        Assert.Contains("trainedAlgorithmicMedia", PngText.Read(File.ReadAllBytes(png))[XmpPacket.PngKeyword], StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Atelier.slnx"))) return dir.FullName;
        throw new InvalidOperationException("the tests run outside the repository: no Atelier.slnx above " + AppContext.BaseDirectory);
    }

    /// <summary>The dotnet that runs the tests, in a folder, without the MSBuild settings of the test run; its output.</summary>
    private static string Dotnet(string folder, TimeSpan limit, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(File.Exists(host) ? host : "dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} ran past {limit}: {output.Result}{error.Result}");
        }
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {process.ExitCode}: {output.Result}{error.Result}");
        return output.Result;
    }
}

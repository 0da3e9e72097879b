using System.Diagnostics;
using System.Text.Json;

namespace Atelier.Tests.Readers;

/// <summary>Runs only where Debian's exiftool is installed (scripts/install-data.sh installs it); says why otherwise.</summary>
public sealed class ExifToolFactAttribute : FactAttribute
{
    public ExifToolFactAttribute()
    {
        if (!File.Exists(ExifTool.Path)) Skip = "exiftool is not installed (apt-get install libimage-exiftool-perl, or scripts/install-data.sh)";
    }
}

/// <summary>exiftool, a metadata reader Atelier did not write: the tags of a file as exiftool names them.</summary>
public static class ExifTool
{
    public const string Path = "/usr/bin/exiftool";

    /// <summary>Every tag exiftool finds, keyed "Group1:Tag" (e.g. "XMP-iptcExt:DigitalSourceType"), values as text.</summary>
    public static Dictionary<string, string> Read(string file)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-j", "-G1", "-a", "-n", "-struct", "-charset", "utf8", file }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000) && process.ExitCode == 0, $"exiftool failed on {file}: {error.Result}");
        using var json = JsonDocument.Parse(output);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement[0].EnumerateObject())
            tags[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        return tags;
    }
}

/// <summary>Whether Debian's python3 imports a module (python3-torchvision, python3-onnx, ...), asked once per module.</summary>
public static class PythonModule
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<bool>> Answers = new(StringComparer.Ordinal);

    public static bool Available(string module) => Answers.GetOrAdd(module, m => new Lazy<bool>(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"-c \"import {m}\"") { RedirectStandardError = true, RedirectStandardOutput = true });
            p!.WaitForExit(60_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    })).Value;
}

/// <summary>Runs only where Debian's python3-torch is installed (python3-torchvision, which scripts/install-data.sh installs, brings it).</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (!PythonModule.Available("torch")) Skip = "python3-torch is not installed (apt-get install python3-torch, or scripts/install-data.sh)";
    }
}

/// <summary>Debian's python3 on a script given with -c, in a folder.</summary>
public static class DebianPython
{
    /// <summary>Its trimmed output; fails with its errors when it exits non-zero or runs past two minutes.</summary>
    public static string Run(string folder, string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var python = Process.Start(start)!;
        var error = python.StandardError.ReadToEndAsync();
        var output = python.StandardOutput.ReadToEnd();
        Assert.True(python.WaitForExit(120_000) && python.ExitCode == 0, "python3 failed: " + error.Result);
        return output.Trim();
    }
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Atelier.Cli.Tests;

/// <summary>
/// Golden values pin today's numbers (weights after N steps, generated pixels) so that a change of code layout cannot
/// change a result unnoticed. Floating-point kernels differ between instruction sets, so values are kept per CPU class
/// in Fixtures/golden.json; ATELIER_GOLDEN_RECORD=1 records the running class (on the commit that made the values).
/// </summary>
internal static class Golden
{
    /// <summary>SHA-256 over name, dtype, shape and little-endian bytes of each tensor, in name order: independent of the file format.</summary>
    internal static string WeightsHash(IReadOnlyDictionary<string, Tensor> state)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var t = value.detach().cpu().contiguous();
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}|{t.dtype}|{string.Join(",", t.shape)}|"));
            sha.AppendData(t.dtype switch
            {
                ScalarType.Float32 => MemoryMarshal.AsBytes(t.data<float>().ToArray().AsSpan()).ToArray(),
                ScalarType.Int64 => MemoryMarshal.AsBytes(t.data<long>().ToArray().AsSpan()).ToArray(),
                var other => throw new NotSupportedException(other.ToString()),
            });
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Instruction-set class whose floating-point kernels the golden values were computed with.</summary>
    internal static string CpuClass => System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "x64-avx512" :
        System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "x64-avx2" : RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    internal static readonly string GoldenFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden.json");

    private static readonly Lock RecordLock = new();

    internal static void Check(string key, string weights, string pixels)
    {
        var expected = $"{weights} {pixels}";
        if (Environment.GetEnvironmentVariable("ATELIER_GOLDEN_RECORD") == "1")
        {
            lock (RecordLock)
            {
                var source = Path.Combine(RepositoryRoot(), "tests", "Atelier.Cli.Tests", "Fixtures", "golden.json");
                var all = File.Exists(source) ? JsonSerializer.Deserialize<SortedDictionary<string, SortedDictionary<string, string>>>(File.ReadAllText(source))! : new();
                if (!all.TryGetValue(CpuClass, out var table)) all[CpuClass] = table = new();
                table[key] = expected;
                File.WriteAllText(source, JsonSerializer.Serialize(all, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }
            return;
        }
        var golden = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(GoldenFile))!;
        var values = golden[CpuClass];
        Assert.True(values.ContainsKey(key), $"golden.json has no value for '{key}' on {CpuClass}");
        Assert.Equal(values[key], expected);
    }

    /// <summary>The checkout the tests were built in (the folder holding Atelier.slnx).</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Atelier.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Atelier.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Why a golden test cannot run here, or null.</summary>
    internal static string? SkipReason()
    {
        if (Environment.GetEnvironmentVariable("ATELIER_GOLDEN_RECORD") == "1") return null;
        var golden = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(GoldenFile))!;
        return golden.ContainsKey(CpuClass) ? null
            : $"no golden values for CPU class {CpuClass}; record them with ATELIER_GOLDEN_RECORD=1 on the commit that introduced them (git log tests/Atelier.Cli.Tests/Fixtures/golden.json)";
    }
}

/// <summary>A theory that is skipped, with the reason, on a CPU class that has no golden values yet.</summary>
internal sealed class GoldenTheoryAttribute : TheoryAttribute
{
    public GoldenTheoryAttribute() => Skip = Golden.SkipReason();
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Atelier.Platform;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolution library) at AVX2 kernels before any tensor work, unless the user set
/// ONEDNN_MAX_CPU_ISA. On an AVX-512 machine (AMD EPYC with avx512_bf16 and vp2intersect) oneDNN's AVX-512
/// convolutions gave different bits from call to call in one process: the same weights generated different pixels,
/// resumed runs left their straight twins, 5 to 9 of the 238 tests failed per run, and 30-step runs now and then went
/// NaN. Capped at AVX2 every test passes on that machine and results are bit-identical across runs and processes.
/// AVX2 machines are unaffected. docs/platform.md has the measurements and the cost.
/// </summary>
public static class ReproducibleKernels
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Cap = "AVX2";

    /// <summary>The cap in force for this process ("AVX2", or what the user set).</summary>
    public static string? InForce { get; private set; }

    [ModuleInitializer]
    internal static void Apply()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            InForce = given;
            return;
        }
        // oneDNN reads the C environment (getenv) the first time it picks kernels; .NET's own environment block is
        // not what native code sees on Unix, so set it through libc as well.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (NativeSetenv(Variable, Cap, 0) != 0) return;
        }
        Environment.SetEnvironmentVariable(Variable, Cap);
        InForce = Cap;
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int NativeSetenv(string name, string value, int overwrite);
}

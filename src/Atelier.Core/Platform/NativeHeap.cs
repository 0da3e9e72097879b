using System.Runtime.InteropServices;

namespace Atelier.Platform;

/// <summary>
/// glibc's malloc hands every freed block above its mmap threshold (128 KiB at the start, rising to at most 32 MiB) back
/// to the kernel, and trims the heap's top above 128 KiB, so a training step, which frees and allocates the same
/// activations every time, pays fresh page faults for each of them. On 64- and 128-pixel models that cost more system
/// CPU than the arithmetic: a style decoder's step went from 1.2 s to 0.3 s, a FastGAN + projected-discriminator run
/// from 1,402 s to 980 s (docs/platform.md). <see cref="Configure"/> keeps such blocks in the process (threshold and
/// trim at 1 GiB, 256 MiB of top padding): the same numbers, at the price of a resident size that does not shrink
/// between steps. ATELIER_NATIVE_HEAP=default leaves glibc's settings alone; other C libraries are left alone.
/// </summary>
public static class NativeHeap
{
    public const string Variable = "ATELIER_NATIVE_HEAP";

    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Applies the settings once per process; true where glibc accepted them.</summary>
    public static bool Configure() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) == "default") return false;
        try
        {
            return mallopt(MmapThreshold, 1 << 30) == 1 & mallopt(TrimThreshold, 1 << 30) == 1 & mallopt(TopPad, 256 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}

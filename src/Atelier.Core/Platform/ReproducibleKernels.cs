using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Atelier.Platform;

/// <summary>
/// Decides, before any tensor work, whether libtorch may use oneDNN (MKLDNN) for convolutions, as
/// torch.backends.mkldnn.enabled does in Python. On CPUs with AVX-512 it is turned off: there oneDNN's transposed
/// convolution from a 1x1 map with 100 input channels (DCGAN's input layer) was wrong by up to 0.9 against a float64
/// reference, read memory it had not written (the same weights generated different pixels from call to call in one
/// process), and made tiny models go NaN at step 2; 5 to 9 of the 238 tests failed per run. libtorch's own kernels
/// pass them all, 2-3x slower there (docs/platform.md). ATELIER_ONEDNN=1 turns oneDNN on, 0 off, anywhere.
/// </summary>
public static class ReproducibleKernels
{
    public const string Variable = "ATELIER_ONEDNN";

    /// <summary>Whether libtorch may use oneDNN for convolutions in this process.</summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    /// <summary>Whether libtorch may try NNPACK for convolutions (off together with oneDNN).</summary>
    public static bool NnpackEnabled { get; private set; } = true;

    /// <summary>Why oneDNN is on or off, for `atelier info`.</summary>
    public static string Reason { get; private set; } = "libtorch's default";

#pragma warning disable CA2255 // on purpose in a library: the kernels must be chosen before any caller's first tensor call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        var asked = Environment.GetEnvironmentVariable(Variable);
        bool enable;
        (enable, Reason) = asked switch
        {
            "1" => (true, $"{Variable}=1"),
            "0" => (false, $"{Variable}=0"),
            _ when Avx512F.IsSupported => (false, "wrong on AVX-512 CPUs; docs/platform.md"),
            _ => (true, "libtorch's default"),
        };
        if (enable) return;
        try
        {
            var context = GlobalContext();
            SetUserEnabledMkldnn(context, false);
            // Without oneDNN libtorch tries NNPACK next, which on such CPUs warns "Unsupported hardware" on every
            // convolution (27,486 lines in one run of the main job) before falling back to its own kernels.
            SetUserEnabledNnpack(context, false);
            OneDnnEnabled = UserEnabledMkldnn(context);
            NnpackEnabled = UserEnabledNnpack(context);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            // A libtorch this code does not know: leave its default, and say so in `atelier info` (the tests fail).
            Reason = $"left on: libtorch could not be reached to turn it off ({e.GetType().Name})";
        }
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}

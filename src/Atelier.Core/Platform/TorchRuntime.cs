using System.Reflection;
using TorchSharp;

namespace Atelier.Platform;

/// <summary>Versions, threads and devices of the torch runtime Atelier runs on.</summary>
public static class TorchRuntime
{
    public const string LibTorchVersion = "2.10.0";

    public static string AtelierVersion =>
        typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Sets intra-op threads (0 = leave libtorch's default) and returns the count in use.</summary>
    /// <summary>The most threads --threads takes: beyond this a machine spends its time switching between them (and
    /// 100,000 of them exhaust the process table).</summary>
    public const int MaxThreads = 256;

    public static int ConfigureThreads(int threads)
    {
        if (threads is < 0 or > MaxThreads)
            throw new OptionException($"--threads: {threads} is outside 0..{MaxThreads} (0 = all {Environment.ProcessorCount} cores).");
        if (threads > 0) torch.set_num_threads(threads);
        return torch.get_num_threads();
    }

    public static bool CudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The torch device of --device; names the flag when the device cannot be used.</summary>
    public static torch.Device ResolveDevice(ComputeDevice device)
    {
        return device switch
        {
            ComputeDevice.Cpu => torch.CPU,
            ComputeDevice.Cuda when CudaAvailable() => torch.CUDA,
            ComputeDevice.Cuda => throw new OptionException(
                "--device cuda: no CUDA device is available to this libtorch build (Atelier builds against TorchSharp-cpu by default; see docs/platform.md)."),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "not a device"),
        };
    }

    /// <summary>Parses --device text (cpu or cuda) and resolves it.</summary>
    public static torch.Device ResolveDevice(string text) => ResolveDevice(EnumText.Parse<ComputeDevice>(text, "--device", "device"));
}

using System.Collections;
using Atelier.Platform;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Atelier.Export;

/// <summary>PyTorch state dicts as other tools save them: torch.save's pickle (.pth, .pt) or safetensors.</summary>
public static class PyTorchStateDict
{
    /// <summary>The largest file read (a state dict of a generator Atelier can build is far smaller).</summary>
    public const long MaxBytes = 2L << 30;

    /// <summary>
    /// The named tensors of a state dict file; a leading "module." (DataParallel) is stripped. Anything that is not a
    /// state dict is an <see cref="OptionException"/> that names <paramref name="flag"/> and the file.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path, string flag)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new OptionException($"{flag}: '{path}' does not exist.");
        if (info.Length > MaxBytes) throw new OptionException($"{flag}: '{path}' is {info.Length / 1e9:F1} GB; a state dict Atelier reads is at most {MaxBytes / 1e9:F1} GB.");
        IDictionary raw;
        try
        {
            raw = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? Safetensors.LoadStateDict(path)
                : PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OptionException($"{flag}: '{path}' is not a PyTorch state dict or safetensors file ({e.Message}).", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in raw)
        {
            if (entry.Value is not Tensor t || entry.Key is not string key) continue;
            if (key.StartsWith("module.", StringComparison.Ordinal)) key = key["module.".Length..];
            result[key] = t;
        }
        return result;
    }
}

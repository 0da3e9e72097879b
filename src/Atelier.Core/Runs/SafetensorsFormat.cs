using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Atelier.Runs;

/// <summary>
/// safetensors (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
/// and byte range, then the raw little-endian bytes. Written and read by TorchSharp.PyBridge; tensors are written in
/// name order, so the same weights give the same file.
/// </summary>
public static class SafetensorsFormat
{
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var ordered = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal)) ordered[name] = value.detach().cpu().contiguous();
        Safetensors.SaveStateDict(stream, ordered, leaveOpen: true);
    }

    /// <summary>Every tensor of a file (verify the file's hash first: the header's sizes are trusted).</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        // TorchSharp.PyBridge reports a dtype it cannot read with NotImplementedException; a damaged header with the others.
        catch (Exception e) when (e is JsonException or NotImplementedException or EndOfStreamException or ArgumentException or OverflowException
                                      or InvalidOperationException or FormatException or IndexOutOfRangeException or KeyNotFoundException or InvalidCastException)
        {
            throw new CorruptCheckpointException($"{path}: not a readable safetensors file ({e.Message}).", e);
        }
    }
}

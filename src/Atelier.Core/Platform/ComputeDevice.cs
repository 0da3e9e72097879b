using System.Text.Json.Serialization;

namespace Atelier.Platform;

/// <summary>Where tensors live (--device).</summary>
[JsonConverter(typeof(StrictEnumConverter<ComputeDevice>))]
public enum ComputeDevice
{
    /// <summary>The CPU (TorchSharp-cpu, the default build).</summary>
    [JsonStringEnumMemberName("cpu")] Cpu,

    /// <summary>An NVIDIA GPU, with a CUDA build of libtorch.</summary>
    [JsonStringEnumMemberName("cuda")] Cuda,
}

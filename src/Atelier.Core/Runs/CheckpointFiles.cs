using static TorchSharp.torch;

namespace Atelier.Runs;

/// <summary>
/// The weight files of a checkpoint, by part. Format 2 writes each part as a safetensors file, which any PyTorch, JAX
/// or Rust tool opens; format 1 checkpoints hold the same parts as .atlt archives (<see cref="TensorArchive"/>) and are
/// still read. Code names a part; only this type turns it into a file name.
/// </summary>
public static class CheckpointFiles
{
    public const string Generator = "generator";
    public const string Discriminator = "discriminator";

    /// <summary>An autoencoder's encoder, which takes the discriminator's place.</summary>
    public const string Encoder = "encoder";

    /// <summary>The part of a family's second network: its discriminator, or an autoencoder's encoder.</summary>
    public static string SecondPart(Models.IModelFamily family) => family is Models.Autoencoders.IAutoencoderFamily ? Encoder : Discriminator;

    /// <summary>The exponential moving average of the generator's weights: what generation uses.</summary>
    public const string Average = "generator-ema";

    /// <summary>Optimiser moments and other training state (historical averages).</summary>
    public const string Optimizers = "optimizers";

    public const string Extension = ".safetensors";
    public const string LegacyExtension = ".atlt";

    /// <summary>The file a new checkpoint writes a part to.</summary>
    public static string FileName(string part) => part + Extension;

    /// <summary>The file that holds a part in a checkpoint folder: its safetensors file, or a format-1 archive.</summary>
    public static string NameIn(string checkpoint, string part) =>
        !File.Exists(Path.Combine(checkpoint, part + Extension)) && File.Exists(Path.Combine(checkpoint, part + LegacyExtension))
            ? part + LegacyExtension
            : part + Extension;

    /// <summary>The named tensors of a part, in whichever format the checkpoint holds them.</summary>
    public static Dictionary<string, Tensor> Read(string checkpoint, string part)
    {
        var name = NameIn(checkpoint, part);
        var path = Path.Combine(checkpoint, name);
        if (!File.Exists(path)) throw new CorruptCheckpointException($"{checkpoint}: {name} is missing.");
        return name.EndsWith(LegacyExtension, StringComparison.Ordinal) ? TensorArchive.Load(path) : SafetensorsFormat.Load(path);
    }
}

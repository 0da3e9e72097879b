using System.Text.Json;
using Atelier.Imaging;
using Atelier.Platform;

namespace Atelier.Sampling;

/// <summary>
/// A latent saved on its own (what `atelier project` finds for a picture), as JSON: the values, which weights it belongs
/// to and where it came from. `generate --latent` draws it, edited or varied like a seed's latent. Floats are written
/// in their shortest round-trip form, so a file read back gives the same bits.
/// </summary>
/// <param name="Format">"atelier-latent/1".</param>
/// <param name="Values">z, one value per latent dimension.</param>
/// <param name="Weights">The generator weights it was found for ("file:sha256", as images record them).</param>
/// <param name="Source">What it is the latent of (e.g. "projection of sketch.png, restart 0").</param>
/// <param name="SourceSha256">SHA-256 of the projected picture's file, when there was one.</param>
/// <param name="Loss">The projection's loss at this latent, when it came from one.</param>
public sealed record LatentFile(string Format, float[] Values, string? Weights, string? Source, string? SourceSha256 = null, double? Loss = null)
{
    public const string CurrentFormat = "atelier-latent/1";

    /// <summary>Latent files are small; anything larger is not one.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads and checks a latent file; errors name <paramref name="flag"/> and the file.</summary>
    public static LatentFile Load(string path, string flag = "--latent")
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new OptionException($"{flag}: '{path}' does not exist.");
        if (info.Length > MaxBytes) throw new OptionException($"{flag}: '{path}' is {info.Length} bytes; a latent file is at most {MaxBytes}.");
        LatentFile? file;
        try
        {
            file = JsonSerializer.Deserialize<LatentFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new OptionException($"{flag}: '{path}' is not a latent file ({e.Message}).");
        }
        if (file is null || file.Format != CurrentFormat || file.Values is null || file.Values.Length == 0)
            throw new OptionException($"{flag}: '{path}' is not a latent file (it needs \"format\": \"{CurrentFormat}\" and \"values\"); `atelier project` writes them.");
        if (file.Values.Any(v => !float.IsFinite(v)))
            throw new OptionException($"{flag}: '{path}' holds a value that is not a finite number.");
        return file;
    }

    /// <summary>Checks that the latent fits a generator of <paramref name="latentSize"/>; warns (returns a line) when
    /// it was found for other weights.</summary>
    public string? CheckFits(int latentSize, string weightsId, string path, string flag = "--latent")
    {
        if (Values.Length != latentSize)
            throw new OptionException($"{flag}: '{path}' has {Values.Length} values; this generator's latent has {latentSize}.");
        return Weights is not null && Weights != weightsId
            ? $"note: '{Path.GetFileName(path)}' was found for weights {Weights}; drawing it with {weightsId} gives a different image."
            : null;
    }
}

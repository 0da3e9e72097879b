using Atelier.Imaging;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Projection;

/// <summary>
/// The latent encoder of one generator's weights, trained once and kept in the run folder
/// (<c>&lt;run&gt;/projection/encoder-v1-&lt;weights hash&gt;-&lt;steps&gt;-s&lt;seed&gt;.safetensors</c>), so that the second
/// projection into a run starts at once. Training is a function of the weights, steps and seed, so a cached encoder
/// and a retrained one are the same bits.
/// </summary>
public static class EncoderCache
{
    public const int Version = 1;

    public const int MaxSteps = 100_000;

    /// <summary>The cache file of this generator's encoder.</summary>
    public static string PathFor(TrainedGenerator generator, int steps, long seed) =>
        Path.Combine(RunOf(generator), "projection",
            FormattableString.Invariant($"encoder-v{Version}-{generator.WeightsHash[..16]}-{steps}-s{seed}.safetensors"));

    /// <summary>
    /// Loads the cached encoder or trains one (<paramref name="steps"/> Adam steps on the generator's own images) and
    /// caches it; when the run folder cannot be written the encoder is used without being kept, and
    /// <paramref name="log"/> says so.
    /// </summary>
    public static LatentEncoder LoadOrTrain(TrainedGenerator generator, int steps, long seed, Action<string>? log = null,
        IProgress<(int Done, int Total, double Loss)>? progress = null, CancellationToken cancel = default)
    {
        if (steps is < 1 or > MaxSteps) throw new OptionException($"--encoder-steps: {steps} is outside 1..{MaxSteps}.");
        var m = generator.Model;
        LatentEncoder? encoder = null;
        try
        {
            encoder = new LatentEncoder(m.Channels, m.Resolution, m.LatentSize);
            Fill(encoder, generator, steps, seed, log, progress, cancel);
            var result = encoder;
            encoder = null;
            return result;
        }
        finally
        {
            encoder?.Dispose();
        }
    }

    private static void Fill(LatentEncoder encoder, TrainedGenerator generator, int steps, long seed, Action<string>? log,
        IProgress<(int Done, int Total, double Loss)>? progress, CancellationToken cancel)
    {
        var path = PathFor(generator, steps, seed);
        if (File.Exists(path))
        {
            try
            {
                using var scope = NewDisposeScope();
                Training.GanNetworks.LoadModule(encoder, SafetensorsFormat.Load(path), RunOf(generator), Path.GetFileName(path));
                encoder.to(generator.Device);
                encoder.eval();
                return;
            }
            catch (Exception e) when (e is CorruptCheckpointException or IOException or InvalidDataException or ArgumentException)
            {
                log?.Invoke($"the cached encoder {path} could not be read ({e.Message}); training it again");
            }
        }
        encoder.Initialize(seed);
        encoder.to(generator.Device);
        log?.Invoke($"training the latent encoder of these weights: {steps} steps (kept in {path})");
        double error = encoder.Train(generator.Network, steps, seed, progress: progress, cancel: cancel);
        log?.Invoke(FormattableString.Invariant($"encoder trained: latent error {error:F3} (mean squared; 1 is guessing zero)"));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var scope = NewDisposeScope();
            var state = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.cpu());
            AtomicFile.Write(path, stream => SafetensorsFormat.Write(stream, state));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"the encoder is not kept: {Path.GetDirectoryName(path)} cannot be written ({e.Message})");
        }
    }

    private static string RunOf(TrainedGenerator generator) =>
        Path.GetDirectoryName(Path.GetDirectoryName(generator.Checkpoint)) ?? generator.Checkpoint;
}

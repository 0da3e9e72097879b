using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Sampling;

/// <summary>A generator loaded from a checkpoint, ready to turn seeds into images.</summary>
public sealed class TrainedGenerator : IDisposable
{
    private TrainedGenerator(nn.Module<Tensor, Tensor> network, CheckpointManifest manifest, string checkpoint, bool average, string weightsFile, string weightsHash, Device device)
    {
        Device = device;
        WeightsFile = weightsFile;
        Network = network;
        Manifest = manifest;
        Checkpoint = checkpoint;
        UsesAverage = average;
        WeightsHash = weightsHash;
    }

    /// <summary>The generator network, in eval mode: z (N×latent) to images (N×C×H×W in [-1, 1]).</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>Where the network runs and its latents are drawn (--device); images always come back to the CPU.</summary>
    public Device Device { get; }

    /// <summary>The checkpoint's manifest: step, model, options, weight hashes.</summary>
    public CheckpointManifest Manifest { get; }

    /// <summary>The checkpoint folder the generator was loaded from.</summary>
    public string Checkpoint { get; }

    /// <summary>Whether these are the moving-average (EMA) weights rather than the raw ones.</summary>
    public bool UsesAverage { get; }

    /// <summary>SHA-256 of the weight file used: identifies exactly which weights made an image.</summary>
    public string WeightsHash { get; }

    /// <summary>The checkpoint's file the weights came from (generator-ema.safetensors, or .atlt in an older checkpoint).</summary>
    public string WeightsFile { get; }

    /// <summary>"file:sha256", as images record it in Atelier.weights.</summary>
    public string WeightsId => WeightsFile + ":" + WeightsHash;

    /// <summary>The architecture: resolution, channels, latent size, classes.</summary>
    public ModelOptions Model => Manifest.Model;

    /// <summary>
    /// Resolves --run (a run folder or a checkpoint folder) and --checkpoint (latest, best, a step number or
    /// a folder name) to a checkpoint folder.
    /// </summary>
    public static string ResolveCheckpoint(string runOrCheckpoint, string? which = null)
    {
        var full = Path.GetFullPath(runOrCheckpoint);
        if (File.Exists(Path.Combine(full, CheckpointStore.ManifestName))) return full;
        return RunFolder.Open(runOrCheckpoint).Checkpoints.Resolve(which);
    }

    /// <summary>
    /// Loads the generator of a checkpoint folder (see <see cref="ResolveCheckpoint"/>), its weights checked against
    /// the manifest's SHA-256.
    /// </summary>
    /// <param name="useAverage">The moving-average weights (default) or the raw ones.</param>
    /// <param name="device">Where it runs; null: the CPU.</param>
    public static TrainedGenerator Load(string checkpoint, bool useAverage = true, Device? device = null)
    {
        var manifest = CheckpointStore.ReadManifest(checkpoint);
        var part = useAverage ? CheckpointFiles.Average : CheckpointFiles.Generator;
        var file = CheckpointFiles.NameIn(checkpoint, part);
        var network = GanModels.CreateGenerator(manifest.Model);
        GanNetworks.CheckFrozen(manifest, FrozenModule.IdsIn(network, part), checkpoint);
        using (var scope = NewDisposeScope())
        {
            GanNetworks.LoadPart(network, checkpoint, part);
        }
        device ??= CPU;
        if (device.type != DeviceType.CPU) network.to(device);
        network.eval();
        return new TrainedGenerator(network, manifest, checkpoint, useAverage, file, manifest.Files[file], device);
    }

    /// <summary>CHW pixels in [-1, 1] for each seed, in order; <paramref name="label"/> picks the class of a conditional model.</summary>
    public float[] Generate(IReadOnlyList<long> seeds, int? label = null)
    {
        using var pause = Platform.GcPause.Begin();
        return ImageSynthesis.Generate(Network, seeds, Model.LatentSize, Device, label);
    }

    /// <summary>
    /// Images of seeds moved along SeFa directions of this generator: z(seed) + Σ distance·n_direction.
    /// </summary>
    public float[] GenerateEdited(IReadOnlyList<long> seeds, IReadOnlyList<(int Direction, double Distance)> edits, int? label = null) =>
        edits.Count == 0 ? Generate(seeds, label) : GenerateShaped(seeds, new LatentShape(edits), label);

    /// <summary>
    /// Images of seeds with their latents shaped: ψ·z(seed) + spread·ε(seed, variation) + Σ distance·n_direction, where
    /// ψ is the truncation, ε a second normal draw seeded by (seed, variation index) and n the SeFa directions.
    /// </summary>
    /// <param name="latent">A latent used in place of every seed's own (a projection's, from a latent file); the seeds
    /// then only seed the variations.</param>
    public float[] GenerateShaped(IReadOnlyList<long> seeds, LatentShape shape, int? label = null, float[]? latent = null)
    {
        if (shape.IsIdentity && latent is null) return Generate(seeds, label);
        if (latent is not null && latent.Length != Model.LatentSize)
            throw new OptionException($"--latent: {latent.Length} values; this generator's latent has {Model.LatentSize}.");
        using var pause = Platform.GcPause.Begin();
        using var scope = NewDisposeScope();
        var z = latent is null ? Latents.ForSeeds(seeds, Model.LatentSize) : tensor(latent).unsqueeze(0).expand(seeds.Count, -1).clone();
        if (shape.Truncation != 1) z = z * shape.Truncation;
        if (shape.Variation is (int index, double spread))
            z = z + stack(seeds.Select(s => Latents.ForSeed(LatentShape.VariationSeed(s, index), Model.LatentSize)).ToArray()) * spread;
        if (shape.Edits.Count > 0)
        {
            var directions = Directions(shape.Edits.Max(e => e.Direction) + 1);
            foreach (var (d, distance) in shape.Edits)
            {
                if (d >= directions.Length) throw new OptionException($"--edit: direction {d} does not exist; this generator has {directions.Length}.");
                z = z + tensor(directions[d]).unsqueeze(0) * distance;
            }
        }
        if (Device.type != DeviceType.CPU) z = z.to(Device); // drawn on the CPU, as for every device: same seed, same latent
        return ImageSynthesis.FromLatents(Network, Latents.ForGenerator(Network, z, seeds, label));
    }

    private float[][]? _directions;
    private double[]? _eigenvalues;
    private readonly Lock _directionsLock = new();

    /// <summary>The top SeFa directions of the first layer (computed once per generator), at least <paramref name="count"/> when it has that many.</summary>
    public float[][] Directions(int count) => DirectionsWithStrength(count).Directions;

    /// <summary>The SeFa directions with their eigenvalues (how strongly the first layer responds to each).</summary>
    public (float[][] Directions, double[] Eigenvalues) DirectionsWithStrength(int count)
    {
        lock (_directionsLock)
        {
            if (_directions is null || (_directions.Length < count && _directions.Length < Model.LatentSize))
            {
                (_directions, _eigenvalues) = LatentDirections.Factorize(LatentDirections.FirstLayer(Network, Model.LatentSize), Math.Max(count, 16));
            }
            int n = Math.Min(count, _directions.Length);
            return (_directions[..n], _eigenvalues![..n]);
        }
    }

    /// <summary>The class names of a conditional model (from its training data), or null.</summary>
    public IReadOnlyList<string>? ClassNames => Manifest.Training.ClassNames;

    /// <summary>Resolves --class: a class name or index of this conditional model.</summary>
    public int ResolveClass(string value)
    {
        if (Model.Classes == 0) throw new OptionException("--class: this model is not class-conditional (train with --conditional).");
        var names = ClassNames ?? [];
        int byName = Array.FindIndex(names.ToArray(), n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        if (byName >= 0) return byName;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < Model.Classes) return index;
        throw new OptionException($"--class: '{value}' is not a class of this model; it has {(names.Count > 0 ? string.Join(", ", names.Select((n, i) => $"{i} {n}")) : $"0..{Model.Classes - 1}")}.");
    }

    /// <summary>Frames walking from seed a to seed b along the great circle between their latents.</summary>
    public float[] Interpolate(long seedA, long seedB, int frames, int? label = null) =>
        Interpolate(Latents.ForSeed(seedA, Model.LatentSize).data<float>().ToArray(), Latents.ForSeed(seedB, Model.LatentSize).data<float>().ToArray(), frames, label, seedA);

    /// <summary>Frames walking from latent a to latent b along the great circle between them.</summary>
    public float[] Interpolate(float[] latentA, float[] latentB, int frames, int? label = null, long labelSeed = 0)
    {
        using var pause = Platform.GcPause.Begin();
        using var scope = NewDisposeScope();
        long seedA = labelSeed;
        var a = tensor(latentA);
        var b = tensor(latentB);
        var latents = stack(Enumerable.Range(0, frames).Select(i => Latents.Slerp(a, b, frames == 1 ? 0 : (double)i / (frames - 1))).ToArray());
        latents = Latents.ForGenerator(Network, latents, Enumerable.Repeat(seedA, frames).ToList(), label);
        return ImageSynthesis.FromLatents(Network, latents);
    }

    /// <summary>PNG text chunks that say where an image came from.</summary>
    public Dictionary<string, string> Provenance(string what) => new()
    {
        ["Software"] = "Atelier " + Platform.TorchRuntime.AtelierVersion,
        ["Comment"] = "AI-generated by Atelier",
        ["Atelier.run"] = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Checkpoint)) ?? ""),
        ["Atelier.checkpoint"] = Path.GetFileName(Checkpoint),
        ["Atelier.weights"] = WeightsId,
        ["Atelier.model"] = System.Text.Json.JsonSerializer.Serialize(Model, RunFolder.Json),
        ["Atelier.image"] = what,
    };

    /// <summary>Frees the network's tensors.</summary>
    public void Dispose() => Network.Dispose();
}

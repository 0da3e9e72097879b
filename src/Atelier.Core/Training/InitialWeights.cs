using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// The weights a new run starts from instead of random ones (--init-from, as StyleGAN2-ADA fine-tunes from a
/// pretrained network): the parent checkpoint's generator and its moving average, and its discriminator when every
/// tensor's name and shape fit. Each part is named by "file:sha256" as the parent's manifest lists it, so a run's
/// options and every manifest record exactly which weights it grew from, and a changed parent is refused.
/// </summary>
/// <param name="Checkpoint">The parent checkpoint folder (full path).</param>
/// <param name="Step">The parent's step.</param>
/// <param name="Generator">"file:sha256" of the parent's generator.</param>
/// <param name="Average">"file:sha256" of the parent's moving-average generator.</param>
/// <param name="Discriminator">"file:sha256" of the parent's discriminator, or null when this run's does not fit it and starts fresh.</param>
public sealed record InitialWeights(string Checkpoint, long Step, string Generator, string Average, string? Discriminator)
{
    /// <summary>The parent checkpoint of --init-from (a run folder, which means its latest checkpoint, or a checkpoint folder) and its manifest.</summary>
    public static (string Checkpoint, CheckpointManifest Manifest) ReadParent(string runOrCheckpoint)
    {
        try
        {
            var full = Path.GetFullPath(runOrCheckpoint);
            var checkpoint = File.Exists(Path.Combine(full, CheckpointStore.ManifestName))
                ? full
                : RunFolder.Open(runOrCheckpoint, "--init-from").Checkpoints.Resolve(null, "--init-from");
            return (checkpoint, CheckpointStore.ReadManifest(checkpoint));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CorruptCheckpointException or System.Text.Json.JsonException)
        {
            throw new OptionException(e.Message.StartsWith("--init-from", StringComparison.Ordinal) ? e.Message : $"--init-from: {runOrCheckpoint}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The weights of <paramref name="runOrCheckpoint"/> for a run of <paramref name="model"/>: its generator must have
    /// the same tensors (names and shapes) as the parent's, else the error names what differs.
    /// </summary>
    public static InitialWeights For(string runOrCheckpoint, ModelOptions model)
    {
        var (checkpoint, parent) = ReadParent(runOrCheckpoint);
        return For(checkpoint, parent, model);
    }

    /// <summary>The same, for a parent already read with <see cref="ReadParent"/> (its files' hashes are checked once).</summary>
    public static InitialWeights For(string checkpoint, CheckpointManifest parent, ModelOptions model)
    {
        using (var scope = NewDisposeScope())
        {
            using var mine = GanModels.CreateGenerator(model);
            using var theirs = GanModels.CreateGenerator(parent.Model);
            if (Mismatch(mine, theirs) is string difference)
                throw new OptionException($"--init-from: the generator of {checkpoint} ({Describe(parent.Model)}) does not fit this run's ({Describe(model)}): {difference}. " +
                                          "Leave --model, --resolution, --latent-size and --generator-width unset to take the parent's.");
        }
        string? discriminator = null;
        if (parent.Model.Discriminator == model.Discriminator)
        {
            using var scope = NewDisposeScope();
            using var mine = GanModels.CreateDiscriminator(model);
            using var theirs = GanModels.CreateDiscriminator(parent.Model);
            if (Mismatch(mine, theirs) is null) discriminator = Part(parent, checkpoint, CheckpointFiles.Discriminator);
        }
        return new InitialWeights(checkpoint, parent.Step, Part(parent, checkpoint, CheckpointFiles.Generator), Part(parent, checkpoint, CheckpointFiles.Average), discriminator);
    }

    /// <summary>Copies the parent's weights into a new run's networks, after checking they are still the ones recorded.</summary>
    internal void LoadInto(GanNetworks networks)
    {
        CheckpointManifest parent;
        try
        {
            parent = CheckpointStore.ReadManifest(Checkpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CorruptCheckpointException)
        {
            throw new OptionException($"--init-from: {Checkpoint}: {e.Message}");
        }
        using var scope = NewDisposeScope();
        Load(networks.Generator, parent, CheckpointFiles.Generator, Generator);
        Load(networks.Average, parent, CheckpointFiles.Average, Average);
        if (Discriminator is not null) Load(networks.Discriminator, parent, CheckpointFiles.Discriminator, Discriminator);
    }

    private void Load(nn.Module module, CheckpointManifest parent, string part, string expected)
    {
        if (Part(parent, Checkpoint, part) != expected)
            throw new OptionException($"--init-from: {Checkpoint} has changed since this run was started from it ({part} was {expected}, now {Part(parent, Checkpoint, part)}).");
        GanNetworks.LoadPart(module, Checkpoint, part);
    }

    private static string Part(CheckpointManifest manifest, string checkpoint, string part)
    {
        var file = CheckpointFiles.NameIn(checkpoint, part);
        return file + ":" + manifest.Files[file];
    }

    /// <summary>The first tensor whose name or shape differs between two networks' trainable state, or null.</summary>
    private static string? Mismatch(nn.Module mine, nn.Module theirs)
    {
        var a = GanNetworks.WithoutFrozen(mine);
        var b = GanNetworks.WithoutFrozen(theirs);
        if (a.Keys.Except(b.Keys).FirstOrDefault() is string missing) return $"the parent has no {missing}";
        if (b.Keys.Except(a.Keys).FirstOrDefault() is string extra) return $"this run has no {extra}";
        foreach (var (name, t) in a)
            if (!t.shape.SequenceEqual(b[name].shape))
                return $"{name} is [{string.Join(",", b[name].shape)}] in the parent, [{string.Join(",", t.shape)}] here";
        return null;
    }

    private static string Describe(ModelOptions m) =>
        $"{m.Architecture} {m.Resolution}x{m.Resolution}x{m.Channels}, latent {m.LatentSize}, width {m.GeneratorWidth}";
}

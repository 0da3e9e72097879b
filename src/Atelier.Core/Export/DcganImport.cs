using System.Globalization;
using System.Text.Json;
using Atelier.Imaging;
using Atelier.Models;
using Atelier.Platform;
using Atelier.Runs;
using Atelier.Sampling;
using Atelier.Training;
using Atelier.Training.Recipes;
using static TorchSharp.torch;

namespace Atelier.Export;

/// <summary>
/// A pytorch/examples DCGAN checkpoint (<c>torch.save(netG.state_dict(), ...)</c>, and optionally netD's) as an Atelier
/// run at step 0: its generator (and moving average) hold netG's weights and batch-norm statistics, its discriminator
/// netD's when given (else a fresh one), so <c>generate</c>, <c>reproduce</c>, the Studio and <c>train --init-from</c>
/// accept it. The layout (nz, ngf, nc, resolution; ndf) is read from the tensors' shapes: netG is
/// <c>main.{3i}</c> transposed convolutions with batch norm at <c>main.{3i+1}</c>, netD <c>main.0</c>, then
/// convolution and batch norm at <c>main.{3i+2}</c>, <c>main.{3i+3}</c>. Images are drawn in eval mode (netG's
/// running statistics), as <c>netG.eval()</c> draws them in PyTorch.
/// </summary>
public static class DcganImport
{
    public const string RecordName = "imported.json";

    /// <summary>The data name an imported run records: it names the source file, and marks the run as one that cannot be resumed.</summary>
    public const string DataPrefix = "imported:";

    /// <summary>What an import wrote.</summary>
    public sealed record Result(RunFolder Run, string Checkpoint, ModelOptions Model, string GeneratorSha256, string? DiscriminatorSha256);

    /// <summary>The model a pytorch/examples netG state dict describes; the error names the flag and key that do not fit.</summary>
    public static ModelOptions Plan(IReadOnlyDictionary<string, Tensor> netG, string file, string flag = "--from")
    {
        var convs = Convolutions(netG, file, flag, "netG");
        if (convs.Count < 3)
            throw new OptionException($"{flag}: '{file}' has {convs.Count} convolutions under main.*; a pytorch/examples DCGAN generator has 3 to 6 (main.0, main.3, ...). Is it netD, or not a DCGAN?");
        for (int i = 0; i < convs.Count; i++)
            if (convs[i].Index != 3 * i)
                throw new OptionException($"{flag}: '{file}': main.{convs[i].Index}.weight is a convolution where pytorch/examples' netG has main.{3 * i}; it is not that layout.");
        var first = netG[$"main.0.weight"];
        var last = netG[$"main.{convs[^1].Index}.weight"];
        int start = (int)first.shape[2];
        int resolution = start * (1 << (convs.Count - 1));
        var model = new ModelOptions("dcgan", resolution, Channels: (int)last.shape[1], LatentSize: (int)first.shape[0], GeneratorWidth: (int)last.shape[0]);
        try
        {
            model.Validate();
            _ = model.DcganPlan();
        }
        catch (OptionException e)
        {
            throw new OptionException($"{flag}: '{file}' describes a {resolution}x{resolution}x{model.Channels} generator with latent {model.LatentSize}, which Atelier's dcgan cannot build ({e.Message})", e);
        }
        return model;
    }

    /// <summary>
    /// Writes the run: options.json, the step-0 checkpoint, its sample grid and imported.json (the source files and their SHA-256).
    /// </summary>
    public static Result Import(string generatorFile, string? discriminatorFile, RunFolder run, long seed = 0, Action<string>? log = null)
    {
        using var scope = NewDisposeScope();
        var netG = PyTorchStateDict.Read(generatorFile, "--from");
        var netD = discriminatorFile is null ? null : PyTorchStateDict.Read(discriminatorFile, "--discriminator");
        var model = Plan(netG, generatorFile);
        if (netD is not null) model = model with { DiscriminatorWidth = DiscriminatorWidth(netD, discriminatorFile!, model) };
        var gHash = CheckpointStore.Sha256(generatorFile);
        var dHash = discriminatorFile is null ? null : CheckpointStore.Sha256(discriminatorFile);
        var options = TrainingRecipe.Resolve(new TrainingRequest
        {
            Data = DataPrefix + Path.GetFileName(generatorFile),
            Model = model.Architecture,
            Resolution = model.Resolution,
            Channels = model.Channels,
            LatentSize = model.LatentSize,
            GeneratorWidth = model.GeneratorWidth,
            DiscriminatorWidth = model.DiscriminatorWidth,
            Seed = seed,
        });
        using var networks = new GanNetworks(options, CPU);
        Copy(networks.Generator, GeneratorNames(netG), generatorFile, "--from");
        Copy(networks.Average, GeneratorNames(netG), generatorFile, "--from");
        if (netD is not null) Copy(networks.Discriminator, DiscriminatorNames(netD), discriminatorFile!, "--discriminator");
        run.SaveOptions(options);
        var checkpoint = run.Checkpoints.Write(0, networks.StateFiles(), files => new CheckpointManifest
        {
            Healthy = true,
            Step = 0,
            Seed = seed,
            Family = model.Architecture,
            Model = options.Model,
            FrozenWeights = networks.FrozenWeights(),
            Training = options,
            DatasetName = options.Data,
            DatasetFingerprint = "sha256:" + gHash,
            Versions = new Dictionary<string, string>
            {
                ["atelier"] = TorchRuntime.AtelierVersion,
                ["torchSharp"] = TorchRuntime.TorchSharpVersion,
                ["libtorch"] = TorchRuntime.LibTorchVersion,
            },
            Threads = get_num_threads(),
            Files = files,
            CreatedUtc = DateTimeOffset.UtcNow,
        });
        var record = new Dictionary<string, object?>
        {
            ["format"] = "pytorch/examples dcgan state dict",
            ["generator"] = new Dictionary<string, string> { ["file"] = Path.GetFullPath(generatorFile), ["sha256"] = gHash },
            ["discriminator"] = discriminatorFile is null ? null : new Dictionary<string, string> { ["file"] = Path.GetFullPath(discriminatorFile), ["sha256"] = dHash! },
            ["checkpoint"] = Path.GetFileName(checkpoint),
        };
        AtomicFile.WriteAllText(Path.Combine(run.Path, RecordName), JsonSerializer.Serialize(record, RunFolder.Json));
        using (var generator = TrainedGenerator.Load(checkpoint))
        {
            var seeds = $"0-{options.Schedule.SampleCount - 1}";
            AtomicFile.WriteAllBytes(run.SamplePath(0), new GenerationRecipe(GenerationKind.Grid, seeds).Render(generator));
        }
        log?.Invoke($"imported {generatorFile} (sha256 {gHash[..12]}…){(discriminatorFile is null ? "; discriminator fresh" : $" and {discriminatorFile}")}");
        return new Result(run, checkpoint, options.Model, gHash, dHash);
    }

    /// <summary>ndf of a pytorch/examples netD that fits <paramref name="model"/>.</summary>
    private static int DiscriminatorWidth(Dictionary<string, Tensor> netD, string file, ModelOptions model)
    {
        var convs = Convolutions(netD, file, "--discriminator", "netD");
        if (convs.Count == 0 || convs[0].Index != 0 || netD["main.0.weight"].shape[1] != model.Channels)
            throw new OptionException($"--discriminator: '{file}' does not start with main.0, a convolution from {model.Channels} channels, as pytorch/examples' netD of this generator does.");
        for (int i = 1; i < convs.Count; i++)
            if (convs[i].Index != 3 * i - 1)
                throw new OptionException($"--discriminator: '{file}': main.{convs[i].Index}.weight is a convolution where pytorch/examples' netD has main.{3 * i - 1}; it is not that layout.");
        return (int)netD["main.0.weight"].shape[0];
    }

    /// <summary>The main.N.weight tensors of four dimensions, by N.</summary>
    private static List<(int Index, Tensor Weight)> Convolutions(IReadOnlyDictionary<string, Tensor> state, string file, string flag, string what)
    {
        var convs = new List<(int, Tensor)>();
        foreach (var (key, t) in state)
        {
            var parts = key.Split('.');
            if (parts.Length != 3 || parts[0] != "main" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new OptionException($"{flag}: '{file}' holds '{(key.Length <= 60 ? key : key[..60] + "…")}', which pytorch/examples' {what} has not (its keys are main.N.weight, main.N.bias, main.N.running_mean, ...).");
            if (parts[2] == "weight" && t.dim() == 4) convs.Add((n, t));
        }
        return convs.OrderBy(c => c.Item1).ToList();
    }

    /// <summary>netG's keys as Atelier's <see cref="DcganGenerator"/> names them.</summary>
    private static Dictionary<string, Tensor> GeneratorNames(IReadOnlyDictionary<string, Tensor> netG)
    {
        int convs = netG.Keys.Count(k => k.EndsWith(".weight", StringComparison.Ordinal) && netG[k].dim() == 4);
        return Rename(netG, n =>
        {
            int layer = n / 3;
            string name = layer == 0 ? "input" : layer == convs - 1 ? "output" : $"up{layer}";
            return "layers." + (n % 3 == 0 ? name : name + "_norm");
        });
    }

    /// <summary>netD's keys as Atelier's <see cref="DcganDiscriminator"/> names them (its last convolution is the dense head).</summary>
    private static Dictionary<string, Tensor> DiscriminatorNames(IReadOnlyDictionary<string, Tensor> netD)
    {
        int last = netD.Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal) && netD[k].dim() == 4).Max(k => int.Parse(k.Split('.')[1], CultureInfo.InvariantCulture));
        var renamed = Rename(netD, n => n == 0 ? "body.input" : n == last ? "output" : (n + 1) % 3 == 0 ? $"body.down{(n + 1) / 3}" : $"body.down{n / 3}_norm");
        renamed["output.weight"] = renamed["output.weight"].reshape(1, -1); // [1, C, s, s] convolution = [1, C·s·s] dense
        return renamed;
    }

    private static Dictionary<string, Tensor> Rename(IReadOnlyDictionary<string, Tensor> state, Func<int, string> module) =>
        state.ToDictionary(kv =>
        {
            var parts = kv.Key.Split('.');
            return module(int.Parse(parts[1], CultureInfo.InvariantCulture)) + "." + parts[2];
        }, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Copies renamed tensors into a network; a missing, extra or misshapen tensor is an error naming the source key.</summary>
    private static void Copy(nn.Module network, Dictionary<string, Tensor> source, string file, string flag)
    {
        using var noGrad = no_grad();
        var target = network.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        var extra = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new OptionException($"{flag}: '{file}' does not fit pytorch/examples' DCGAN layout (Atelier needs {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? " …" : "")}; it has no place for {string.Join(", ", extra.Take(4))}{(extra.Count > 4 ? " …" : "")}).");
        foreach (var (key, t) in target)
        {
            if (!source.TryGetValue(key, out var s)) continue;
            if (!s.shape.SequenceEqual(t.shape))
                throw new OptionException($"{flag}: '{file}': {key} is [{string.Join(",", s.shape)}]; the DCGAN its other tensors describe needs [{string.Join(",", t.shape)}].");
            if (s.is_floating_point() && !s.isfinite().all().item<bool>())
                throw new OptionException($"{flag}: '{file}': {key} holds values that are not finite numbers (NaN or infinity).");
            t.copy_(s.to(t.dtype));
        }
    }
}

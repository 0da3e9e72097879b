using Atelier.Models;
using Atelier.Objectives;
using Atelier.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>
/// The generator, discriminator, their averaged generator and optimizers of one run, on one device. For an autoencoder
/// family (<see cref="Models.Autoencoders.IAutoencoderFamily"/>) the generator is the decoder and the discriminator's
/// place is taken by the encoder, checkpointed as its own part (<see cref="SecondPart"/>).
/// </summary>
public sealed class GanNetworks : IDisposable
{
    public GanNetworks(TrainingOptions options, Device device)
    {
        Options = options;
        Device = device;
        var model = options.Model;
        using var init = RandomStreams.ForInitialization(options.Seed);
        Generator = GanModels.CreateGenerator(model);
        Discriminator = GanModels.CreateDiscriminator(model);
        GanModels.InitializeDcgan(Generator, init);
        GanModels.InitializeDcgan(Discriminator, init);
        foreach (var reference in Generator.modules().OfType<ReferenceLatents>()) reference.Reset(init);
        Average = GanModels.CreateGenerator(model);
        Generator.to(device);
        Discriminator.to(device);
        Average.to(device);
        ExponentialMovingAverage.CopyInto(Generator, Average);
        foreach (var p in Average.parameters()) p.requires_grad = false;
        Average.eval();
        GeneratorOptimizer = CreateOptimizer(options, Trainable(Generator), options.Optimization.GeneratorRate);
        DiscriminatorOptimizer = CreateOptimizer(options, Trainable(Discriminator), options.Optimization.DiscriminatorRate);
        Ema = new ExponentialMovingAverage(Generator, Average, options.Optimization.EmaHalfLifeImages, options.Optimization.EmaRampUp);
        Objective = Objectives.ObjectiveCatalog.Create(options.Game.Objective, options.Game.RealLabel);
        if (options.Game.HistoricalAveraging > 0)
        {
            GeneratorHistory = new HistoricalAverage(Trainable(Generator));
            DiscriminatorHistory = new HistoricalAverage(Trainable(Discriminator));
        }
        _discriminatorParameters = Trainable(Discriminator).ToArray();
        SecondPart = Runs.CheckpointFiles.SecondPart(model.Family);
        Frozen = [.. FrozenModule.In(Generator).Select(f => (Runs.CheckpointFiles.Generator + "." + f.Prefix, f.Module)),
            .. FrozenModule.In(Discriminator).Select(f => (SecondPart + "." + f.Prefix, f.Module))];
    }

    /// <summary>The checkpoint part of <see cref="Discriminator"/>: "discriminator", or an autoencoder's "encoder".</summary>
    public string SecondPart { get; }

    /// <summary>The frozen parts of both networks, by checkpoint part and state-dict prefix ("discriminator.features.").</summary>
    public IReadOnlyList<(string Prefix, FrozenModule Module)> Frozen { get; }

    /// <summary>Identity and weight hash of each frozen part, as the manifest records them.</summary>
    public Dictionary<string, string> FrozenWeights() =>
        FrozenModule.IdsIn(Generator, Runs.CheckpointFiles.Generator).Concat(FrozenModule.IdsIn(Discriminator, SecondPart))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>The parameters an optimiser may change: all but those of frozen parts, in the module's order.</summary>
    private static IEnumerable<TorchSharp.Modules.Parameter> Trainable(nn.Module module) => module.parameters().Where(p => p.requires_grad);

    /// <summary>Both networks in training mode, their frozen parts kept in eval mode (batch norm on its own statistics).</summary>
    public void Train()
    {
        Generator.train();
        Discriminator.train();
        foreach (var (_, module) in Frozen) module.eval();
    }

    private readonly TorchSharp.Modules.Parameter[] _discriminatorParameters;

    /// <summary>The discriminator's parameters (weight clipping constrains them).</summary>
    public IReadOnlyList<TorchSharp.Modules.Parameter> DiscriminatorParameters => _discriminatorParameters;

    public TrainingOptions Options { get; }

    public Device Device { get; }

    public nn.Module<Tensor, Tensor> Generator { get; }

    public nn.Module<Tensor, Tensor> Discriminator { get; }

    /// <summary>The exponential moving average of the generator's weights.</summary>
    public nn.Module<Tensor, Tensor> Average { get; }

    public IOptimizer GeneratorOptimizer { get; }

    public IOptimizer DiscriminatorOptimizer { get; }

    /// <summary>Salimans 2016 historical averages, when that technique is on.</summary>
    public HistoricalAverage? GeneratorHistory { get; }

    public HistoricalAverage? DiscriminatorHistory { get; }

    private static IOptimizer CreateOptimizer(TrainingOptions options, IEnumerable<TorchSharp.Modules.Parameter> parameters, double rate) => options.Optimization.Optimizer switch
    {
        Optimizer.Adam => new AdamOptimizer(parameters, rate, options.Optimization.Beta1, options.Optimization.Beta2),
        Optimizer.RmsProp => new RmsPropOptimizer(parameters, rate),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimization.Optimizer, "not an optimizer"),
    };

    public ExponentialMovingAverage Ema { get; }

    public IGanObjective Objective { get; }

    public void SetDiscriminatorTrainable(bool trainable)
    {
        foreach (var p in _discriminatorParameters) p.requires_grad = trainable;
    }

    public void SetLearningRateScale(double scale)
    {
        GeneratorOptimizer.LearningRate = Options.Optimization.GeneratorRate * scale;
        DiscriminatorOptimizer.LearningRate = Options.Optimization.DiscriminatorRate * scale;
    }

    /// <summary>Checkpoint part (<see cref="Runs.CheckpointFiles"/>) → named tensors.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, Tensor>> StateFiles()
    {
        var optimizers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, v) in GeneratorOptimizer.StateDict()) optimizers["generator." + k] = v;
        foreach (var (k, v) in DiscriminatorOptimizer.StateDict()) optimizers["discriminator." + k] = v;
        foreach (var (k, v) in GeneratorHistory?.StateDict() ?? []) optimizers["history.generator." + k] = v;
        foreach (var (k, v) in DiscriminatorHistory?.StateDict() ?? []) optimizers["history.discriminator." + k] = v;
        return new Dictionary<string, IReadOnlyDictionary<string, Tensor>>
        {
            [Runs.CheckpointFiles.Generator] = WithoutFrozen(Generator),
            [SecondPart] = WithoutFrozen(Discriminator),
            [Runs.CheckpointFiles.Average] = WithoutFrozen(Average),
            [Runs.CheckpointFiles.Optimizers] = optimizers,
        };
    }

    public void LoadState(string checkpoint)
    {
        CheckFrozen(Runs.CheckpointStore.ReadManifest(checkpoint, verifyFiles: false), FrozenWeights(), checkpoint);
        using var scope = NewDisposeScope();
        LoadPart(Generator, checkpoint, Runs.CheckpointFiles.Generator);
        LoadPart(Discriminator, checkpoint, SecondPart);
        LoadPart(Average, checkpoint, Runs.CheckpointFiles.Average);
        var optimizers = Runs.CheckpointStore.ReadTensors(checkpoint, Runs.CheckpointFiles.Optimizers);
        GeneratorOptimizer.LoadStateDict(optimizers, "generator.");
        DiscriminatorOptimizer.LoadStateDict(optimizers, "discriminator.");
        GeneratorHistory?.LoadStateDict(optimizers, "history.generator.");
        DiscriminatorHistory?.LoadStateDict(optimizers, "history.discriminator.");
    }

    /// <summary>The frozen parts a checkpoint was trained with must be the ones the family builds now.</summary>
    public static void CheckFrozen(Runs.CheckpointManifest manifest, IReadOnlyDictionary<string, string> built, string checkpoint)
    {
        foreach (var (prefix, identity) in manifest.FrozenWeights ?? [])
            if (built.TryGetValue(prefix, out var now) && now != identity)
                throw new Runs.CorruptCheckpointException($"{checkpoint}: its frozen part {prefix} was {identity}, but the {manifest.Model.Architecture} family now builds {now}; the checkpoint cannot be used with these weights.");
    }

    /// <summary>A module's state without its frozen parts, which its family rebuilds and the manifest identifies.</summary>
    public static Dictionary<string, Tensor> WithoutFrozen(nn.Module module)
    {
        var frozen = FrozenModule.In(module).Select(f => f.Prefix).ToList();
        return module.state_dict().Where(kv => !frozen.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Loads one part of a checkpoint into a module.</summary>
    public static void LoadPart(nn.Module module, string checkpoint, string part) =>
        LoadModule(module, Runs.CheckpointStore.ReadTensors(checkpoint, part), checkpoint, Runs.CheckpointFiles.NameIn(checkpoint, part));

    /// <summary>Copies named tensors into a module; names the file when keys or shapes disagree.</summary>
    public static void LoadModule(nn.Module module, Dictionary<string, Tensor> tensors, string checkpoint, string file)
    {
        using var noGrad = no_grad();
        var state = WithoutFrozen(module);
        var missing = state.Keys.Except(tensors.Keys).ToList();
        var unexpected = tensors.Keys.Except(state.Keys).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CorruptCheckpointException($"{checkpoint}/{file}: does not fit the model (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)}).");
        foreach (var (name, target) in state)
        {
            var source = tensors[name];
            if (!source.shape.SequenceEqual(target.shape))
                throw new CorruptCheckpointException($"{checkpoint}/{file}: {name} has shape [{string.Join(",", source.shape)}], the model needs [{string.Join(",", target.shape)}].");
            if (source.is_floating_point() && !source.isfinite().all().item<bool>())
                throw new CorruptCheckpointException($"{checkpoint}/{file}: {name} holds values that are not finite numbers (NaN or infinity): the run had diverged when it was written.");
            target.copy_(source);
        }
    }

    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        GeneratorHistory?.Dispose();
        DiscriminatorHistory?.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
        Average.Dispose();
    }
}

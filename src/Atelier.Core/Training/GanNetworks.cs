using Atelier.Models;
using Atelier.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Atelier.Training;

/// <summary>The generator, discriminator, their averaged generator and optimizers of one run, on one device.</summary>
public sealed class GanNetworks : IDisposable
{
    public const string GeneratorFile = "generator.atlt";
    public const string DiscriminatorFile = "discriminator.atlt";
    public const string AverageFile = "generator-ema.atlt";
    public const string OptimizersFile = "optimizers.atlt";

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
        GeneratorOptimizer = CreateOptimizer(options, Generator, options.GeneratorRate);
        DiscriminatorOptimizer = CreateOptimizer(options, Discriminator, options.DiscriminatorRate);
        Ema = new ExponentialMovingAverage(Generator, Average, options.EmaHalfLifeImages, options.EmaRampUp);
        Objective = Objectives.ObjectiveCatalog.Create(options.Objective, options.RealLabel);
        if (options.HistoricalAveraging > 0)
        {
            GeneratorHistory = new HistoricalAverage(Generator.parameters());
            DiscriminatorHistory = new HistoricalAverage(Discriminator.parameters());
        }
        _discriminatorParameters = Discriminator.parameters().ToArray();
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

    private static IOptimizer CreateOptimizer(TrainingOptions options, nn.Module module, double rate) => options.Optimizer switch
    {
        "rmsprop" => new RmsPropOptimizer(module.parameters(), rate),
        _ => new AdamOptimizer(module.parameters(), rate, options.Beta1, options.Beta2),
    };

    public ExponentialMovingAverage Ema { get; }

    public IGanObjective Objective { get; }

    public void SetDiscriminatorTrainable(bool trainable)
    {
        foreach (var p in _discriminatorParameters) p.requires_grad = trainable;
    }

    public void SetLearningRateScale(double scale)
    {
        GeneratorOptimizer.LearningRate = Options.GeneratorRate * scale;
        DiscriminatorOptimizer.LearningRate = Options.DiscriminatorRate * scale;
    }

    /// <summary>File name → named tensors, as a checkpoint stores them.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, Tensor>> StateFiles()
    {
        var optimizers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, v) in GeneratorOptimizer.StateDict()) optimizers["generator." + k] = v;
        foreach (var (k, v) in DiscriminatorOptimizer.StateDict()) optimizers["discriminator." + k] = v;
        foreach (var (k, v) in GeneratorHistory?.StateDict() ?? []) optimizers["history.generator." + k] = v;
        foreach (var (k, v) in DiscriminatorHistory?.StateDict() ?? []) optimizers["history.discriminator." + k] = v;
        return new Dictionary<string, IReadOnlyDictionary<string, Tensor>>
        {
            [GeneratorFile] = Generator.state_dict(),
            [DiscriminatorFile] = Discriminator.state_dict(),
            [AverageFile] = Average.state_dict(),
            [OptimizersFile] = optimizers,
        };
    }

    public void LoadState(string checkpoint)
    {
        using var scope = NewDisposeScope();
        LoadModule(Generator, Runs.CheckpointStore.ReadTensors(checkpoint, GeneratorFile), checkpoint, GeneratorFile);
        LoadModule(Discriminator, Runs.CheckpointStore.ReadTensors(checkpoint, DiscriminatorFile), checkpoint, DiscriminatorFile);
        LoadModule(Average, Runs.CheckpointStore.ReadTensors(checkpoint, AverageFile), checkpoint, AverageFile);
        var optimizers = Runs.CheckpointStore.ReadTensors(checkpoint, OptimizersFile);
        GeneratorOptimizer.LoadStateDict(optimizers, "generator.");
        DiscriminatorOptimizer.LoadStateDict(optimizers, "discriminator.");
        GeneratorHistory?.LoadStateDict(optimizers, "history.generator.");
        DiscriminatorHistory?.LoadStateDict(optimizers, "history.discriminator.");
    }

    /// <summary>Copies named tensors into a module; names the file when keys or shapes disagree.</summary>
    public static void LoadModule(nn.Module module, Dictionary<string, Tensor> tensors, string checkpoint, string file)
    {
        using var noGrad = no_grad();
        var state = module.state_dict();
        var missing = state.Keys.Except(tensors.Keys).ToList();
        var unexpected = tensors.Keys.Except(state.Keys).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{checkpoint}/{file}: does not fit the model (missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)}).");
        foreach (var (name, target) in state)
        {
            var source = tensors[name];
            if (!source.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{checkpoint}/{file}: {name} has shape [{string.Join(",", source.shape)}], the model needs [{string.Join(",", target.shape)}].");
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

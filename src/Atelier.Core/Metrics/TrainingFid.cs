using Atelier.Data;
using Atelier.Training;

namespace Atelier.Metrics;

/// <summary>FID during training: a fixed real sample (features cached) against each evaluation's generated images.</summary>
public sealed class TrainingFid : ITrainingEvaluator, IDisposable
{
    private readonly IFeatureNetwork _network;
    private readonly ImageSample _real;
    private readonly FeatureStatistics _realStatistics;
    private readonly long _seed;

    public TrainingFid(IFeatureNetwork network, IImageSource real, int count, FeatureCache cache, long seed = 0)
    {
        _network = network;
        _seed = seed;
        _real = ImageSample.FromSource(real, count, seed);
        _realStatistics = FeatureStatistics.Of(cache.GetOrCompute(network, _real).Features, network.Dimension);
    }

    /// <summary>Training's evaluator: the run's --eval-network, its --eval-n images of the training data, the shared feature cache.</summary>
    public static TrainingFid Open(TrainingOptions options, IImageSource data, Platform.AtelierPaths paths, string? inceptionWeights, Action<string>? log = null)
    {
        var network = FeatureNetworks.Open(options.Evaluation.Network, paths, options.DataRoot, inceptionWeights, log);
        return new TrainingFid(network, data, options.Evaluation.Samples, new FeatureCache(paths.Features), options.Seed);
    }

    public string Network => _network.Id;

    public (double Fid, string Protocol) Fid(byte[] images, int count, int channels, int resolution, string description)
    {
        var fake = _network.Compute(images, count, channels, resolution);
        double fid = FrechetDistance.Compute(_realStatistics, FeatureStatistics.Of(fake.Features, _network.Dimension));
        var protocol = new EvaluationProtocol(_network.Id, _network.Description, _network.Preprocessing, _real.Description, description, _real.Count, count, _seed);
        return (fid, protocol.Line);
    }

    public void Dispose() => _network.Dispose();
}

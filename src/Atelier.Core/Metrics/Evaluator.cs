using Atelier.Platform;

namespace Atelier.Metrics;

/// <summary>Computes the metrics of a fake sample against a real one with one feature network.</summary>
public static class Evaluator
{
    public static EvaluationResult Run(IFeatureNetwork network, ImageSample real, FeatureBatch realFeatures, ImageSample fake, FeatureBatch fakeFeatures,
        EvaluationOptions options, CopyDetector.Result? copies = null)
    {
        var protocol = new EvaluationProtocol(network.Id, network.Description, network.Preprocessing, real.Description, fake.Description, real.Count, fake.Count, options.Seed);
        var values = new List<MetricValue>();
        int d = network.Dimension;
        double? fid = null;
        foreach (var metric in options.Metrics)
        {
            switch (metric)
            {
                case "fid":
                    fid = FrechetDistance.Compute(FeatureStatistics.Of(realFeatures.Features, d), FeatureStatistics.Of(fakeFeatures.Features, d));
                    values.Add(new MetricValue("fid", fid.Value));
                    break;
                case "kid":
                    var (kid, kidStd) = KernelInceptionDistance.Compute(realFeatures.Features, fakeFeatures.Features, d, options.Seed, options.KidSubsets, options.KidSubsetSize);
                    values.Add(new MetricValue("kid", kid, kidStd));
                    break;
                case "is":
                    if (network.ClassCount == 0 || fakeFeatures.Probabilities is null)
                        throw new OptionException($"--metrics is: {network.Id} has no classifier; the Inception Score needs --network inception-v3 or domain:<dataset>.");
                    var (score, scoreStd) = InceptionScore.Compute(fakeFeatures.Probabilities, network.ClassCount, options.IsSplits);
                    values.Add(new MetricValue("is", score, scoreStd));
                    break;
                case "pr":
                    var (precision, recall) = PrecisionRecall.Compute(realFeatures.Features, fakeFeatures.Features, d, options.PrecisionRecallK);
                    values.Add(new MetricValue("precision", precision));
                    values.Add(new MetricValue("recall", recall));
                    break;
                default:
                    throw new OptionException($"--metrics: unknown '{metric}'.");
            }
        }
        if (copies is not null)
        {
            if (copies.Pixels is { } p) values.Add(new MetricValue("memorisation_pixels", p.Score));
            values.Add(new MetricValue("memorisation_features", copies.Features.Score));
            if (fid is double f) values.Add(new MetricValue("mifid", CopyDetector.MiFid(f, copies.CosineMemorisationDistance)));
        }
        return new EvaluationResult(protocol, values, copies);
    }
}

namespace Atelier.Metrics;

/// <summary>
/// A network that turns images into feature vectors (and, for some, class probabilities) for metrics.
/// Every number a metric reports names the network that produced it (<see cref="Description"/>).
/// </summary>
public interface IFeatureNetwork : IDisposable
{
    /// <summary>The name given to --network, e.g. "resnet18-imagenet" or "domain:fashion-mnist".</summary>
    string Id { get; }

    /// <summary>What the network is and where its weights came from.</summary>
    string Description { get; }

    /// <summary>How images are resized and normalised before the network sees them.</summary>
    string Preprocessing { get; }

    /// <summary>Length of one feature vector.</summary>
    int Dimension { get; }

    /// <summary>Number of classes of <see cref="FeatureBatch.Probabilities"/>, or 0 when it gives none.</summary>
    int ClassCount { get; }

    /// <summary>Features of <paramref name="count"/> CHW byte images of the given shape.</summary>
    FeatureBatch Compute(ReadOnlySpan<byte> images, int count, int channels, int resolution);
}


namespace Atelier.Metrics;

/// <summary>What to measure: a run's generator (or any dataset) against real data.</summary>
public sealed record EvaluationRequest
{
    /// <summary>A run folder or checkpoint folder (its generator makes the images), or a dataset.</summary>
    public required string Fake { get; init; }

    /// <summary>The real dataset; a run's default is the data it was trained on.</summary>
    public string? Real { get; init; }

    /// <summary>With a run: latest, best, a step number or a checkpoint folder name.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The feature network: resnet18-imagenet (default), random-cnn, inception-v3 (with weights), or domain:&lt;folder&gt;.</summary>
    public string Network { get; init; } = FeatureNetworks.Default;

    /// <summary>fid, kid, is, pr; null: fid, kid, pr, and is when the network has classes.</summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Images per side: a few minutes on two cores by default; 10,000 or 50,000 for numbers to publish.</summary>
    public int Count { get; init; } = DefaultCount;

    /// <summary>The default n per side (FID is biased upward at small n: compare numbers of the same n only).</summary>
    public const int DefaultCount = 2_000;

    /// <summary>Told how far each stage is (reading, generating, features, the copy search), at most every 256 images.</summary>
    public Action<EvaluationProgress>? Progress { get; init; }

    /// <summary>Seed of the real sample and of KID's subsets.</summary>
    public long Seed { get; init; }

    /// <summary>The copy check; null: on for a run, off for two datasets.</summary>
    public bool? Copies { get; init; }

    /// <summary>The generator's moving average (default) or its raw weights.</summary>
    public bool UseAverage { get; init; } = true;

    /// <summary>Weights for the inception-v3 network: pytorch-fid's pt_inception-2015-12-05-6726825d.pth or a torchvision inception_v3 state dict (none ships with Atelier).</summary>
    public string? InceptionWeights { get; init; }

    /// <summary>A folder searched first for installed datasets (--data-root).</summary>
    public string? DataRoot { get; init; }

    /// <summary>Folder of the report; null: &lt;run&gt;/evaluation/&lt;checkpoint&gt;, or ./evaluation.</summary>
    public string? ReportDirectory { get; init; }
}

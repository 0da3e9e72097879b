using Atelier.Data;
using Atelier.Platform;

namespace Atelier.Metrics;

/// <summary>Opens a feature network by its --network name.</summary>
public static class FeatureNetworks
{
    public const string Default = ResNet18Features.NetworkId;

    /// <summary>The networks built into Atelier: nothing to supply, nothing to train.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [ResNet18Features.NetworkId, RandomCnnFeatures.NetworkId];

    public static IReadOnlyList<string> Names { get; } = [.. BuiltIn, InceptionV3Features.NetworkId, DomainClassifier.Prefix + "<dataset>"];

    public static IFeatureNetwork Open(string name, AtelierPaths paths, string? dataRoot = null, string? inceptionWeights = null, Action<string>? log = null)
    {
        if (name == ResNet18Features.NetworkId) return new ResNet18Features();
        if (name == RandomCnnFeatures.NetworkId) return new RandomCnnFeatures();
        if (name == InceptionV3Features.NetworkId) return InceptionV3Features.Open(inceptionWeights, log);
        if (name.StartsWith(DomainClassifier.Prefix, StringComparison.Ordinal) && name.Length > DomainClassifier.Prefix.Length)
            return DomainClassifier.Open(name[DomainClassifier.Prefix.Length..], new DatasetResolver(paths, log), paths.Cache, dataRoot, log);
        throw new OptionException($"--network: unknown network '{name}'; choose {string.Join(", ", Names)}.");
    }
}

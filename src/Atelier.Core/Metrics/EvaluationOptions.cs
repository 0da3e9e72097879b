namespace Atelier.Metrics;

/// <summary>Which metrics to compute, and their settings.</summary>
public sealed record EvaluationOptions(IReadOnlyList<string> Metrics, long Seed = 0, int KidSubsets = KernelInceptionDistance.DefaultSubsets,
    int KidSubsetSize = KernelInceptionDistance.DefaultSubsetSize, int PrecisionRecallK = PrecisionRecall.DefaultK, int IsSplits = InceptionScore.DefaultSplits)
{
    public static IReadOnlyList<string> Known { get; } = ["fid", "kid", "is", "pr"];

    /// <summary>Parses --metrics "fid,kid,is,pr".</summary>
    public static IReadOnlyList<string> Parse(string text) => Platform.NameList.Parse(text, Known, "--metrics");
}

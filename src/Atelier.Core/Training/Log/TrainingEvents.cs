using Atelier.Metrics;

namespace Atelier.Training.Log;

/// <summary>The rows and events of metrics.jsonl as they are written: one place for their names and fields.</summary>
public static class TrainingEvents
{
    public const string Rollback = "rollback";
    public const string Stopped = "stopped";
    public const string Evaluation = "evaluation";
    public const string EarlyStop = "early-stop";

    /// <summary>What `atelier evaluate` wrote before evaluations had one name; read as an evaluation of that source.</summary>
    public const string LegacyEvaluate = "evaluate";

    public static IReadOnlyDictionary<string, object?> Row(StepRow r) => r.Reconstruction is double reconstruction
        ? new Dictionary<string, object?>
        {
            ["step"] = r.Step,
            ["loss"] = r.LossG,
            ["reconstruction"] = reconstruction,
            ["kl"] = r.Kl,
            ["imgPerSec"] = r.ImagesPerSecond,
            ["wallSec"] = r.WallSeconds,
            ["lr"] = r.LearningRate,
        }
        : new Dictionary<string, object?>
        {
            ["step"] = r.Step,
            ["lossD"] = r.LossD,
            ["lossG"] = r.LossG,
            ["dReal"] = r.RealScore,
            ["dFake"] = r.FakeScore,
            ["imgPerSec"] = r.ImagesPerSecond,
            ["wallSec"] = r.WallSeconds,
            ["lr"] = r.LearningRate,
            ["augmentP"] = r.AugmentProbability,
        };

    public static IReadOnlyDictionary<string, object?> RollbackEvent(long step, long to, string reason, double lrScale, int rollbacks) => new Dictionary<string, object?>
    {
        ["event"] = Rollback, ["step"] = step, ["to"] = to, ["reason"] = reason, ["lrScale"] = lrScale, ["rollbacks"] = rollbacks,
    };

    public static IReadOnlyDictionary<string, object?> StoppedEvent(long step, string reason) =>
        new Dictionary<string, object?> { ["event"] = Stopped, ["step"] = step, ["reason"] = reason };

    public static IReadOnlyDictionary<string, object?> EarlyStopEvent(long step, double bestFid) =>
        new Dictionary<string, object?> { ["event"] = EarlyStop, ["step"] = step, ["bestFid"] = bestFid };

    /// <summary>Training's FID of the averaged generator.</summary>
    public static IReadOnlyDictionary<string, object?> TrainingEvaluation(long step, double fid, bool best, string network, string protocol, double seconds) =>
        new Dictionary<string, object?>
        {
            ["event"] = Evaluation, ["source"] = "training", ["step"] = step, ["fid"] = fid, ["best"] = best,
            ["network"] = network, ["protocol"] = protocol, ["seconds"] = Math.Round(seconds, 1),
        };

    /// <summary>`atelier evaluate`'s metrics of a checkpoint.</summary>
    public static IReadOnlyDictionary<string, object?> CheckpointEvaluation(long step, EvaluationSource source, EvaluationResult result, string checkpoint)
    {
        var row = new Dictionary<string, object?>
        {
            ["event"] = Evaluation, ["source"] = source == EvaluationSource.Training ? "training" : "evaluate", ["step"] = step, ["checkpoint"] = checkpoint,
        };
        foreach (var m in result.Metrics) row[m.Name] = m.Value;
        row["network"] = result.Protocol.Network;
        row["protocol"] = result.Protocol.Line;
        return row;
    }
}

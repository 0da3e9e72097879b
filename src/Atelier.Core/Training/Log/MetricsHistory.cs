using System.Text.Json.Nodes;

namespace Atelier.Training.Log;

/// <summary>
/// metrics.jsonl read back, typed: the step rows (the latest row of a step wins: a rollback replays steps), the events,
/// and the evaluations of either source. The trainer, the plot, the Studio's run index and API read it through here.
/// </summary>
public sealed class MetricsHistory
{
    private static readonly HashSet<string> Fields = ["step", "lossD", "lossG", "dReal", "dFake", "imgPerSec", "wallSec", "lr", "augmentP", "event", "loss", "reconstruction", "kl"];

    private MetricsHistory(IReadOnlyList<StepRow> steps, IReadOnlyList<LogEvent> events)
    {
        Steps = steps;
        Events = events;
        Evaluations = events.Select(AsEvaluation).OfType<EvaluationEvent>().ToList();
    }

    /// <summary>One row per step, in step order.</summary>
    public IReadOnlyList<StepRow> Steps { get; }

    /// <summary>Every event, in the order written.</summary>
    public IReadOnlyList<LogEvent> Events { get; }

    public IReadOnlyList<EvaluationEvent> Evaluations { get; }

    /// <summary>Events other than evaluations: rollbacks, stops, early stops.</summary>
    public IEnumerable<LogEvent> Incidents => Events.Where(e => !IsEvaluation(e.Name));

    public static MetricsHistory Read(string path) => From(MetricsLog.Read(path));

    public static MetricsHistory From(IEnumerable<JsonObject> rows)
    {
        var steps = new SortedDictionary<long, StepRow>();
        var events = new List<LogEvent>();
        foreach (var row in rows)
        {
            if (Event(row) is { } e) events.Add(e);
            else if (Step(row) is { } s) steps[s.Step] = s;
        }
        return new MetricsHistory(steps.Values.ToList(), events);
    }

    /// <summary>A step row, or null for an event or a line without step and losses; a non-finite loss (written "NaN") reads as NaN.</summary>
    public static StepRow? Step(JsonObject row)
    {
        if (row["event"] is not null || Long(row["step"]) is not long step) return null;
        if (row["lossD"] is null && row["reconstruction"] is not null) // an autoencoder's row
            return new StepRow(step, double.NaN, Double(row["loss"]) ?? double.NaN, double.NaN, double.NaN, Double(row["imgPerSec"]) ?? 0, Double(row["wallSec"]) ?? 0,
                Double(row["lr"]) ?? double.NaN, null)
            { Reconstruction = Double(row["reconstruction"]) ?? double.NaN, Kl = Double(row["kl"]) };
        if (row["lossD"] is null) return null;
        return new StepRow(step, Double(row["lossD"]) ?? double.NaN, Double(row["lossG"]) ?? double.NaN, Double(row["dReal"]) ?? double.NaN, Double(row["dFake"]) ?? double.NaN,
            Double(row["imgPerSec"]) ?? 0, Double(row["wallSec"]) ?? 0, Double(row["lr"]) ?? double.NaN, Double(row["augmentP"]));
    }

    /// <summary>An event, or null for a step row.</summary>
    public static LogEvent? Event(JsonObject row) =>
        row["event"] is JsonValue v && v.TryGetValue<string>(out var name) && Long(row["step"]) is long step ? new LogEvent(name, step, row) : null;

    public static bool IsEvaluation(string name) => name is TrainingEvents.Evaluation or TrainingEvents.LegacyEvaluate;

    /// <summary>An evaluation event of either source (older logs: training's "evaluation" had no source, evaluate's its own name).</summary>
    public static EvaluationEvent? AsEvaluation(LogEvent e)
    {
        if (!IsEvaluation(e.Name)) return null;
        var source = e.Name == TrainingEvents.LegacyEvaluate || e.Text("source") == "evaluate" ? EvaluationSource.Evaluate : EvaluationSource.Training;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in e.Fields)
            if (!Fields.Contains(key) && key is not ("best" or "seconds" or "to" or "bestFid") && Double(value) is double d) metrics[key] = d;
        var protocol = e.Text("protocol");
        var network = e.Text("network") ?? (protocol is not null && protocol.StartsWith("network=", StringComparison.Ordinal) ? protocol["network=".Length..].Split(' ', 2)[0].TrimEnd(';') : null);
        return new EvaluationEvent(e.Step, source, network, protocol, e.Fields["best"] is JsonValue b && b.TryGetValue<bool>(out var best) && best, e.Text("checkpoint"), metrics);
    }

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    private static double? Double(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}

using System.Text.Json.Nodes;

namespace Atelier.Training.Log;

/// <summary>Any event of metrics.jsonl (rollback, stopped, evaluation, early-stop) with its fields as written.</summary>
public sealed record LogEvent(string Name, long Step, JsonObject Fields)
{
    public string? Text(string key) => Fields[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public double? Number(string key) => Fields[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}

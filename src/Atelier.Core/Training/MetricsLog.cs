using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Imaging;

namespace Atelier.Training;

/// <summary>metrics.jsonl: one JSON object per line, a "step" in each; events carry an "event" name.</summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    private MetricsLog(StreamWriter writer) => _writer = writer;

    /// <summary>Opens for appending, first dropping lines whose step is after <paramref name="keepThroughStep"/>.</summary>
    public static MetricsLog Open(string path, long keepThroughStep = long.MaxValue)
    {
        if (File.Exists(path) && keepThroughStep != long.MaxValue)
        {
            var kept = File.ReadLines(path).Where(line => StepOf(line) is not long s || s <= keepThroughStep).ToList();
            AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
        }
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        return new MetricsLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = false });
    }

    public void Write(IReadOnlyDictionary<string, object?> values)
    {
        var sb = new StringBuilder(160).Append('{');
        bool first = true;
        foreach (var (key, value) in values)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append('"').Append(key).Append("\":");
            sb.Append(value switch
            {
                null => "null",
                double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
                double d => $"\"{d.ToString(CultureInfo.InvariantCulture)}\"",
                float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
                long or int => Convert.ToString(value, CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => JsonSerializer.Serialize(value.ToString()),
            });
        }
        _writer.Write(sb.Append("}\n"));
    }

    /// <summary>Pushes buffered lines to the file; <paramref name="durable"/> also forces them to disk.</summary>
    public void Flush(bool durable = true)
    {
        _writer.Flush();
        if (durable) ((FileStream)_writer.BaseStream).Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
    }

    /// <summary>All rows of a log as JSON objects (latest row wins per step for metrics, events kept apart).</summary>
    public static List<JsonObject> Read(string path)
    {
        var rows = new List<JsonObject>();
        if (!File.Exists(path)) return rows;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonNode.Parse(line) is JsonObject o) rows.Add(o);
            }
            catch (JsonException)
            {
                // A line cut by a crash: skip it.
            }
        }
        return rows;
    }

    private static long? StepOf(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["step"]?.GetValue<long>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Training.Log;

namespace Atelier.Studio;

/// <summary>
/// What the Studio knows of one run's metrics.jsonl, kept up to date by reading only what was appended since the last
/// look (a file that shrank or was replaced is read again from the start). Memory is bounded however long the run:
/// at most <see cref="MaxRows"/> step rows, thinned evenly (every other one dropped, the stride doubled) as the run
/// grows, the latest row always kept; the last <see cref="MaxIncidents"/> incidents and <see cref="MaxEvaluations"/>
/// evaluations. A million-line log is read once, then each request costs the new lines only.
/// </summary>
public sealed class MetricsTail
{
    public const int MaxRows = 4096;
    public const int MaxIncidents = 200;
    public const int MaxEvaluations = 10_000;

    /// <summary>A line longer than this is not a metrics line (skipped, never held in memory whole).</summary>
    public const int MaxLineBytes = 1 << 20;

    private readonly Lock _gate = new();
    private readonly List<StepRow> _rows = [];
    private readonly List<LogEvent> _incidents = [];
    private readonly List<EvaluationEvent> _evaluations = [];
    private long _offset;
    private long _stride = 1;
    private long _seen;
    private StepRow? _latest;
    private DateTime _modified;

    public string Path { get; }

    /// <summary>Bytes read from the file so far, re-reads included (for tests and diagnostics).</summary>
    public long BytesRead { get; private set; }

    public MetricsTail(string path) => Path = path;

    /// <summary>A consistent view after reading what was appended: thinned rows in step order (the latest included), incidents, evaluations.</summary>
    public (IReadOnlyList<StepRow> Rows, IReadOnlyList<LogEvent> Incidents, IReadOnlyList<EvaluationEvent> Evaluations) Snapshot()
    {
        lock (_gate)
        {
            Refresh();
            var rows = new List<StepRow>(_rows);
            if (_latest is { } latest && (rows.Count == 0 || rows[^1].Step != latest.Step)) rows.Add(latest);
            return (rows, [.. _incidents], [.. _evaluations]);
        }
    }

    /// <summary>Last step, best FID and whether training said it stopped (as <see cref="RunIndex"/> reports them).</summary>
    public MetricsDigest Digest()
    {
        var (rows, incidents, evaluations) = Snapshot();
        long step = rows.Count > 0 ? rows[^1].Step : 0;
        var training = evaluations.Where(e => e.Source == EvaluationSource.Training && e.Fid is not null).ToList();
        var latestNetwork = evaluations.LastOrDefault(e => e.Fid is not null)?.Network;
        var pool = training.Count > 0 ? training : evaluations.Where(e => e.Fid is not null && e.Network == latestNetwork).ToList();
        double? best = pool.Count > 0 ? pool.Min(e => e.Fid!.Value) : null;
        bool stopped = incidents.LastOrDefault(e => e.Name is TrainingEvents.Stopped or TrainingEvents.EarlyStop) is { } stop && stop.Step >= step;
        return new MetricsDigest(step, best, stopped);
    }

    private void Refresh()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            Reset();
            return;
        }
        // Shorter than what was read, or rewritten in place (a resume drops the lines after its checkpoint): start again.
        if (info.Length < _offset || (info.Length == _offset && info.LastWriteTimeUtc != _modified)) Reset();
        if (info.Length == _offset) return;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        if (_offset > 0)
        {
            // What was read must still end a line there; else the file was replaced by a longer one: read it all again.
            stream.Seek(_offset - 1, SeekOrigin.Begin);
            if (stream.ReadByte() != '\n') Reset();
        }
        stream.Seek(_offset, SeekOrigin.Begin);
        var line = new List<byte>(256);
        long position = _offset;
        bool tooLong = false;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            position++;
            BytesRead++;
            if (b != '\n')
            {
                if (line.Count < MaxLineBytes) line.Add((byte)b);
                else tooLong = true;
                continue;
            }
            if (!tooLong) Take(line);
            line.Clear();
            tooLong = false;
            _offset = position; // only whole lines count: a line being written is read next time
        }
        _modified = info.LastWriteTimeUtc;
    }

    private void Take(List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        JsonObject? row;
        try
        {
            row = JsonNode.Parse(Encoding.UTF8.GetString(bytes.ToArray())) as JsonObject;
        }
        catch (JsonException)
        {
            return; // a line cut by a crash
        }
        if (row is null) return;
        if (MetricsHistory.Event(row) is { } e)
        {
            if (MetricsHistory.AsEvaluation(e) is { } evaluation) Bounded(_evaluations, evaluation, MaxEvaluations);
            else Bounded(_incidents, e, MaxIncidents);
            return;
        }
        if (MetricsHistory.Step(row) is not { } step) return;
        // A rollback replays steps: as in MetricsHistory, the latest row of a step wins (where that step is kept).
        if (_latest is { } latest && step.Step <= latest.Step)
        {
            int at = _rows.FindIndex(r => r.Step == step.Step);
            if (at >= 0) _rows[at] = step;
            if (step.Step == latest.Step) _latest = step;
            return;
        }
        _latest = step;
        if (_seen++ % _stride == 0) _rows.Add(step);
        if (_rows.Count > MaxRows)
        {
            // Thin evenly: the kept rows are the (seen % stride == 0)-th; keep every other one, and from now on every (2 x stride)-th.
            for (int i = _rows.Count - 1; i >= 0; i--)
                if (i % 2 == 1) _rows.RemoveAt(i);
            _stride *= 2;
        }
    }

    private static void Bounded<T>(List<T> list, T item, int max)
    {
        list.Add(item);
        if (list.Count > max) list.RemoveRange(0, list.Count - max);
    }

    private void Reset()
    {
        _rows.Clear();
        _incidents.Clear();
        _evaluations.Clear();
        (_offset, _stride, _seen, _latest, _modified) = (0, 1, 0, null, default);
    }
}

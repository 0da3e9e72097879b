using System.Globalization;
using System.Text;
using Atelier.Studio;
using Atelier.Training.Log;

namespace Atelier.Cli.Tests.Studio;

public sealed class MetricsTailTests
{
    private static string Row(long step, double lossD = 0.5) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"step\":{step},\"lossD\":{lossD},\"lossG\":1.5,\"dReal\":0.6,\"dFake\":0.4,\"imgPerSec\":100,\"wallSec\":{step},\"lr\":0.0002,\"augmentP\":null}}\n");

    [Fact]
    public void It_reads_what_the_full_reader_reads_and_then_only_the_new_lines()
    {
        using var cli = new CliHarness();
        var path = cli.PathOf("metrics.jsonl");
        var text = new StringBuilder();
        for (long s = 1; s <= 30; s++) text.Append(Row(s));
        text.Append("{\"event\":\"rollback\",\"step\":30,\"to\":20,\"reason\":\"test\",\"lrScale\":0.5,\"rollbacks\":1}\n");
        for (long s = 21; s <= 25; s++) text.Append(Row(s, lossD: 0.25)); // the replayed steps win
        text.Append("{\"event\":\"evaluation\",\"step\":25,\"source\":\"training\",\"network\":\"n\",\"fid\":12.5}\n");
        File.WriteAllText(path, text.ToString());
        var tail = new MetricsTail(path);
        var (rows, incidents, evaluations) = tail.Snapshot();
        var full = MetricsHistory.Read(path);
        Assert.Equal(full.Steps, rows);
        Assert.Equal(30, rows[^1].Step);
        Assert.Equal(0.25, rows.Single(r => r.Step == 25).LossD);
        Assert.Equal("rollback", Assert.Single(incidents).Name);
        Assert.Equal(12.5, Assert.Single(evaluations).Fid);
        Assert.Equal(new MetricsDigest(30, 12.5, false), tail.Digest());

        // Appending reads the new lines only; a line being written waits until it is whole.
        long before = tail.BytesRead;
        var next = Row(31);
        File.AppendAllText(path, next + "{\"step\":32,\"lossD\"");
        Assert.Equal(31, tail.Snapshot().Rows[^1].Step);
        File.AppendAllText(path, ":0.5,\"lossG\":1,\"dReal\":0.5,\"dFake\":0.5,\"imgPerSec\":1,\"wallSec\":1,\"lr\":0.1}\n{\"event\":\"stopped\",\"step\":32,\"reason\":\"x\"}\n");
        Assert.Equal(32, tail.Snapshot().Rows[^1].Step);
        Assert.Equal(MetricsHistory.Read(path).Steps, tail.Snapshot().Rows);
        Assert.Equal(text.Length, before);
        // Each byte read once, but for the half-written line, read again once it was whole.
        Assert.Equal(new FileInfo(path).Length + "{\"step\":32,\"lossD\"".Length, tail.BytesRead);
        Assert.True(tail.Digest().Stopped);

        // A resume rewrites the log shorter: it is read again from the start.
        File.WriteAllText(path, Row(1) + Row(2));
        Assert.Equal([1L, 2L], tail.Snapshot().Rows.Select(r => r.Step));
        Assert.Empty(tail.Snapshot().Incidents);
    }

    [Fact]
    public void A_long_log_is_thinned_evenly_and_memory_stays_bounded()
    {
        using var cli = new CliHarness();
        var path = cli.PathOf("metrics.jsonl");
        const int steps = 100_000;
        using (var writer = new StreamWriter(path))
            for (long s = 1; s <= steps; s++) writer.Write(Row(s));
        var tail = new MetricsTail(path);
        var rows = tail.Snapshot().Rows;
        Assert.InRange(rows.Count, MetricsTail.MaxRows / 2, MetricsTail.MaxRows + 1);
        Assert.Equal(1, rows[0].Step);
        Assert.Equal(steps, rows[^1].Step);
        // Evenly: every gap but the last is the same stride.
        var gaps = rows.Zip(rows.Skip(1), (a, b) => b.Step - a.Step).SkipLast(1).Distinct().ToList();
        Assert.Single(gaps);
        long read = tail.BytesRead;
        File.AppendAllText(path, Row(steps + 1));
        Assert.Equal(steps + 1, tail.Snapshot().Rows[^1].Step);
        Assert.Equal(Row(steps + 1).Length, tail.BytesRead - read);
    }
}

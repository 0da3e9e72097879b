using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atelier.Training.Log;
using Microsoft.AspNetCore.Http;

namespace Atelier.Studio;

/// <summary>The live view of a run: server-sent events from its metrics log and samples folder.</summary>
internal static partial class StudioApi
{
    /// <summary>Server-sent events: "step" (latest metrics row), "event" (rollbacks, evaluations, stops) and "sample" (a new grid).</summary>
    private static async Task Events(StudioServices s, string run, HttpContext c)
    {
        var folder = s.Runs.Open(run);
        if (Interlocked.Increment(ref _eventStreams) > MaxEventStreams)
        {
            Interlocked.Decrement(ref _eventStreams);
            throw new StudioBusyException($"too many live views are open ({MaxEventStreams}); close some tabs.");
        }
        try
        {
            c.Response.Headers.ContentType = "text/event-stream";
            c.Response.Headers.CacheControl = "no-cache";
            c.Response.Headers["X-Accel-Buffering"] = "no";
            var cancel = c.RequestAborted;
            long offset = File.Exists(folder.MetricsFile) ? new FileInfo(folder.MetricsFile).Length : 0;
            var seen = RunIndex.Samples(folder).Select(x => x.File).ToHashSet();
            await Send(c, "hello", new { run, step = s.Runs.Digest(folder.MetricsFile).Step, samples = seen.Count }, cancel);
            var lastPing = DateTime.UtcNow;
            var pending = new StringBuilder();
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(s.Options.PollInterval, cancel);
                long length = File.Exists(folder.MetricsFile) ? new FileInfo(folder.MetricsFile).Length : 0;
                if (length < offset)
                {
                    offset = 0; // rewritten on resume
                    pending.Clear();
                }
                if (length > offset)
                {
                    using (var stream = new FileStream(folder.MetricsFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                    {
                        stream.Seek(offset, SeekOrigin.Begin);
                        var buffer = new byte[Math.Min(length - offset, 4 << 20)];
                        int read = await stream.ReadAsync(buffer, cancel);
                        offset += read;
                        pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                    var text = pending.ToString();
                    int cut = text.LastIndexOf('\n');
                    pending.Clear().Append(text[(cut + 1)..]);
                    JsonObject? latest = null;
                    foreach (var line in text[..Math.Max(cut, 0)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        JsonObject? row;
                        try
                        {
                            row = JsonNode.Parse(line) as JsonObject;
                        }
                        catch (JsonException)
                        {
                            continue;
                        }
                        if (row is null) continue;
                        if (MetricsHistory.Event(row) is not null) await Send(c, "event", row, cancel);
                        else if (MetricsHistory.Step(row) is not null) latest = row;
                    }
                    if (latest is not null) await Send(c, "step", latest, cancel);
                }
                foreach (var (step, file) in RunIndex.Samples(folder))
                    if (seen.Add(file)) await Send(c, "sample", new { step, file }, cancel);
                if (DateTime.UtcNow - lastPing > TimeSpan.FromSeconds(15))
                {
                    await c.Response.WriteAsync(": ping\n\n", cancel);
                    await c.Response.Body.FlushAsync(cancel);
                    lastPing = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        finally
        {
            Interlocked.Decrement(ref _eventStreams);
        }
    }

    private static async Task Send(HttpContext c, string name, object data, CancellationToken cancel)
    {
        await c.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", cancel);
        await c.Response.Body.FlushAsync(cancel);
    }
}

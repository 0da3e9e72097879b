using Atelier.Sampling;

namespace Atelier.Studio;

/// <summary>
/// Loaded generators, least recently used first out, and the gate every generation passes. Torch work runs one
/// request at a time (the garbage-collection pause that guards TorchSharp's native calls is process-wide, and two
/// cores gain nothing from more); up to <see cref="StudioOptions.MaxWaiting"/> requests wait, each at most
/// <see cref="StudioOptions.QueueTimeout"/>, and the rest are told 503 at once. Memory is bounded by the cache
/// size and the largest grid.
/// </summary>
public sealed class GeneratorPool(StudioOptions options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _cacheLock = new();
    private readonly LinkedList<(string Key, TrainedGenerator Generator)> _cache = new();
    private int _waiting;
    private long _served;
    private long _refused;

    public int Waiting => Volatile.Read(ref _waiting);

    public long Served => Interlocked.Read(ref _served);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Runs <paramref name="work"/> on the generator of a checkpoint (loading it if needed) once the gate is free.</summary>
    public async Task<T> Use<T>(string checkpoint, bool average, Func<TrainedGenerator, T> work, CancellationToken cancel)
    {
        if (Interlocked.Increment(ref _waiting) > options.MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            Interlocked.Increment(ref _refused);
            throw new StudioBusyException($"the Studio is busy: {options.MaxWaiting} generation requests are already waiting; try again in a moment.");
        }
        bool entered;
        try
        {
            entered = await _gate.WaitAsync(options.QueueTimeout, cancel).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (!entered)
        {
            Interlocked.Increment(ref _refused);
            throw new StudioBusyException($"the Studio is busy: the request waited {options.QueueTimeout.TotalSeconds:F0} s for the generator; try again in a moment.");
        }
        try
        {
            cancel.ThrowIfCancellationRequested();
            var result = work(Get(checkpoint, average));
            Interlocked.Increment(ref _served);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Only called inside the gate, so a generator is never disposed while in use.</summary>
    private TrainedGenerator Get(string checkpoint, bool average)
    {
        // The manifest's time is part of the key: a checkpoint folder rewritten in place (a resumed run that rolled
        // back) must not serve stale weights.
        var manifest = Path.Combine(checkpoint, Runs.CheckpointStore.ManifestName);
        var key = $"{(average ? "ema" : "raw")}:{File.GetLastWriteTimeUtc(manifest).Ticks}:{checkpoint}";
        lock (_cacheLock)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Key != key) continue;
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value.Generator;
            }
        }
        var generator = TrainedGenerator.Load(checkpoint, useAverage: average);
        lock (_cacheLock)
        {
            _cache.AddFirst((key, generator));
            while (_cache.Count > Math.Max(1, options.CachedGenerators))
            {
                _cache.Last!.Value.Generator.Dispose();
                _cache.RemoveLast();
            }
        }
        return generator;
    }

    public void Dispose()
    {
        lock (_cacheLock)
        {
            foreach (var (_, generator) in _cache) generator.Dispose();
            _cache.Clear();
        }
        _gate.Dispose();
    }
}

using System.Collections.Concurrent;
using Atelier.Imaging;
using Atelier.Platform;

namespace Atelier.Data;

/// <summary>
/// Shuffled mini-batches whose content is a pure function of (seed, batch index): batch b of a finite source is
/// slice b mod E of the permutation of epoch b / E (E = batches per epoch, the last partial batch is dropped);
/// each image is flipped horizontally with probability ½ when asked. A background thread prepares the next
/// batches so a training step never waits on decoding or painting. Resume by starting at the next batch index.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly IImageSource _source;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly bool _flip;
    private readonly BlockingCollection<Batch> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;
    private readonly object _permutationLock = new();
    private long _permutationEpoch = -1;
    private int[] _permutation = [];
    private readonly ConcurrentBag<(byte[] Bytes, float[] Pixels, int[] Labels)> _free = new();
    private Exception? _failure;

    public BatchLoader(IImageSource source, int batchSize, long seed, bool flip, long firstBatch = 0, int prefetch = 3)
    {
        if (batchSize < 1) throw new OptionException("--batch-size must be at least 1");
        if (!source.IsUnlimited && source.Count < batchSize)
            throw new OptionException($"--batch-size {batchSize} is larger than the dataset '{source.Name}' ({source.Count} images)");
        _source = source;
        _batchSize = batchSize;
        _seed = seed;
        _flip = flip;
        _queue = new BlockingCollection<Batch>(Math.Max(1, prefetch));
        _worker = new Thread(() => Produce(firstBatch)) { IsBackground = true, Name = "atelier-batches" };
        _worker.Start();
    }

    /// <summary>Batches in one pass (an unlimited source counts its nominal size); the last partial batch is dropped.</summary>
    public int BatchesPerEpoch => _source.Count / _batchSize;

    /// <summary>The next batch in order; rethrows a failure of the background thread.</summary>
    public Batch Next()
    {
        try
        {
            return _queue.Take(_stop.Token);
        }
        catch (InvalidOperationException) when (_failure is not null)
        {
            throw new InvalidOperationException($"loading batches from '{_source.Name}' failed: {_failure.Message}", _failure);
        }
    }

    /// <summary>Builds batch <paramref name="index"/> directly (what the background thread does).</summary>
    public Batch Build(long index)
    {
        int perImage = _source.Channels * _source.Resolution * _source.Resolution;
        var (bytes, pixels, labels) = _free.TryTake(out var buffers)
            ? buffers
            : (new byte[_batchSize * perImage], new float[_batchSize * perImage], new int[_batchSize]);
        var sourceIndices = new long[_batchSize];
        if (_source.IsUnlimited)
        {
            for (int i = 0; i < _batchSize; i++) sourceIndices[i] = index * _batchSize + i;
        }
        else
        {
            long epoch = index / BatchesPerEpoch;
            int offset = (int)(index % BatchesPerEpoch) * _batchSize;
            var permutation = PermutationFor(epoch);
            for (int i = 0; i < _batchSize; i++) sourceIndices[i] = permutation[offset + i];
        }
        Parallel.For(0, _batchSize, new ParallelOptions { MaxDegreeOfParallelism = _source.IsUnlimited ? 2 : 1 }, i =>
        {
            _source.Read(sourceIndices[i], bytes.AsSpan(i * perImage, perImage));
            labels[i] = _source.Label(sourceIndices[i]);
        });
        var flips = _flip ? SplitMix64.For(_seed, "flip", index) : null;
        int size = _source.Resolution;
        float[]? mask = _source.HasRegions ? new float[_batchSize * size * size] : null;
        for (int i = 0; i < _batchSize; i++)
        {
            bool flip = flips?.Chance(0.5) ?? false;
            if (mask is not null)
            {
                var region = _source.Region(sourceIndices[i]);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        mask[(i * size + y) * size + x] = region.Contains(flip ? size - 1 - x : x, y) ? 1f : 0f;
            }
            for (int row = 0; row < _source.Channels * size; row++)
            {
                int start = i * perImage + row * size;
                for (int x = 0; x < size; x++)
                    pixels[start + x] = ImageCodec.ToUnit(bytes[start + (flip ? size - 1 - x : x)]);
            }
        }
        return new Batch(index, pixels, labels, _batchSize, _source.Channels, size) { Bytes = bytes, Mask = mask };
    }

    /// <summary>
    /// Hands a batch's buffers back for reuse once its pixels have been copied into a tensor, so that a long run
    /// allocates (almost) nothing per step. The batch must not be used afterwards.
    /// </summary>
    public void Recycle(Batch batch)
    {
        if (batch.Bytes is { } bytes && _free.Count < 8) _free.Add((bytes, batch.Pixels, batch.Labels));
    }

    private int[] PermutationFor(long epoch)
    {
        lock (_permutationLock)
        {
            if (_permutationEpoch != epoch)
            {
                _permutation = SplitMix64.For(_seed, "shuffle", epoch).Permutation(_source.Count);
                _permutationEpoch = epoch;
            }
            return _permutation;
        }
    }

    private void Produce(long first)
    {
        try
        {
            for (long b = first; !_stop.IsCancellationRequested; b++)
                _queue.Add(Build(b), _stop.Token);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopped (and perhaps disposed) while building or adding a batch: nothing to report.
        }
        catch (Exception e)
        {
            _failure = e;
            _queue.CompleteAdding();
        }
    }

    private bool _disposed;

    /// <summary>How long Dispose waits for the background thread (tests shorten it).</summary>
    internal TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        // A worker still reading a slow image after the wait sees the cancellation when it next adds and ends by
        // itself; the queue and token it uses are then left to the collector rather than disposed under it.
        if (!_worker.Join(JoinTimeout)) return;
        _queue.Dispose();
        _stop.Dispose();
    }
}

namespace Atelier.Imaging;

/// <summary>
/// A bound on the memory that decodes running side by side may hold: each decode reserves what its picture will take
/// (from the header's size, before a pixel is decoded) and waits while the others' reservations would take the total
/// over the budget. One decode always runs, however large, so a picture within <see cref="ImageLimits"/> is never
/// refused for memory; a folder of many large pictures decodes them one or a few at a time instead of all at once.
/// </summary>
public sealed class DecodeBudget(long bytes)
{
    /// <summary>What one decoded pixel may cost while it is fitted: RGBA, its mipmaps (a third more), a turned copy, and slack.</summary>
    public const int BytesPerPixel = 10;

    private readonly object _gate = new(); // a Monitor: reservations wait on it
    private long _reserved;
    private int _active;

    /// <summary>The process's budget: a quarter of the memory the runtime may use, at most 2 GiB.</summary>
    public static DecodeBudget Shared { get; } = new(Math.Min(2L << 30, Math.Max(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4)));

    public long Bytes => bytes;

    /// <summary>Bytes reserved now (for tests and diagnostics).</summary>
    public long Reserved
    {
        get
        {
            lock (_gate) return _reserved;
        }
    }

    /// <summary>Waits until <paramref name="amount"/> fits beside the decodes running now (or none runs), then holds it until disposed.</summary>
    public Reservation Reserve(long amount, CancellationToken cancel = default)
    {
        lock (_gate)
        {
            while (_active > 0 && _reserved + amount > bytes)
            {
                cancel.ThrowIfCancellationRequested();
                Monitor.Wait(_gate, 100);
            }
            _reserved += amount;
            _active++;
        }
        return new Reservation(this, amount);
    }

    /// <summary>A reservation for the picture an encoded image's header declares (nothing, for bytes that are not an image: their decode fails at once).</summary>
    public Reservation ReserveFor(byte[] encoded, CancellationToken cancel = default) =>
        Reserve(ImageCodec.DeclaredSize(encoded) is var (w, h) ? (long)w * h * BytesPerPixel : 0, cancel);

    private void Release(long amount)
    {
        lock (_gate)
        {
            _reserved -= amount;
            _active--;
            Monitor.PulseAll(_gate);
        }
    }

    public sealed class Reservation(DecodeBudget budget, long amount) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) budget.Release(amount);
        }
    }
}

using System.Runtime;

namespace Atelier.Platform;

/// <summary>
/// Holds off garbage collection while tensor work runs. TorchSharp passes implicitly created Scalars to
/// native code as raw handles; a collection triggered on another thread (the batch loader, the progress
/// view) during such a call can finalize the Scalar and free it while libtorch still reads it. Inside a
/// pause no collection starts unless the allocation budget is exceeded; collections happen between steps,
/// when no native call is in flight, which is safe.
/// </summary>
public readonly struct GcPause : IDisposable
{
    /// <summary>Managed allocations (all threads) allowed inside one pause.</summary>
    public const long DefaultBudget = 64L * 1024 * 1024;

    private readonly bool _active;

    private GcPause(bool active) => _active = active;

    public static GcPause Begin(long budget = DefaultBudget)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new GcPause(false);
        try
        {
            return new GcPause(GC.TryStartNoGCRegion(budget));
        }
        catch (ArgumentOutOfRangeException)
        {
            return new GcPause(false);
        }
        catch (InvalidOperationException)
        {
            return new GcPause(false);
        }
    }

    public void Dispose()
    {
        if (!_active || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget ran out and a collection already ended the region.
        }
    }
}


using System.Runtime;

namespace Atelier.Platform;

/// <summary>
/// A no-collection window renewed across many training steps: <see cref="Ensure"/> before each step starts a
/// new window only when the last one is gone or half its budget has been allocated, so the full collection
/// that opening a window costs happens once every many steps, on the training thread, between steps.
/// </summary>
public sealed class GcWindow(long budget = GcPause.DefaultBudget) : IDisposable
{
    private GcPause _pause;
    private long _allocatedAtStart;
    private bool _open;

    public void Ensure()
    {
        if (_open && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion && GC.GetTotalAllocatedBytes() - _allocatedAtStart < budget / 2)
            return;
        Close();
        _pause = GcPause.Begin(budget);
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        _open = true;
    }

    public void Close()
    {
        if (!_open) return;
        _pause.Dispose();
        _open = false;
    }

    public void Dispose() => Close();
}

namespace Atelier.Training;

/// <summary>
/// Steps per second over a sliding window of wall time: steadier than the time of one step or of one second, and
/// blind to where a resumed run started (only steps made while it watched count).
/// </summary>
/// <param name="window">How far back samples count; the two newest always do.</param>
public sealed class StepRate(TimeSpan window)
{
    private readonly Queue<(double Seconds, long Step)> _samples = new();
    private (double Seconds, long Step) _newest;

    /// <summary>Records that <paramref name="step"/> was reached at <paramref name="elapsed"/> (any fixed origin).</summary>
    public void Add(TimeSpan elapsed, long step)
    {
        double t = elapsed.TotalSeconds;
        if (_samples.Count > 0 && (step < _newest.Step || t < _newest.Seconds)) _samples.Clear(); // a rollback went back
        _newest = (t, step);
        _samples.Enqueue(_newest);
        while (_samples.Count > 2 && t - _samples.Peek().Seconds > window.TotalSeconds) _samples.Dequeue();
    }

    /// <summary>Steps per second across the window; null until it spans a quarter of a second.</summary>
    public double? StepsPerSecond
    {
        get
        {
            if (_samples.Count < 2) return null;
            var (t0, s0) = _samples.Peek();
            double dt = _newest.Seconds - t0;
            return dt < 0.25 ? null : (_newest.Step - s0) / dt;
        }
    }

    /// <summary>The time left to <paramref name="total"/> at the current rate; null while the rate is unknown or zero.</summary>
    public TimeSpan? Remaining(long total) =>
        StepsPerSecond is double r && r > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - _newest.Step) / r) : null;
}

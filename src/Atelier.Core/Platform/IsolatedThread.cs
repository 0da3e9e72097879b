using System.Runtime.ExceptionServices;

namespace Atelier.Platform;

/// <summary>
/// Runs work on a short-lived thread of its own and waits for it. ScottPlot's rendering leaves state behind on the
/// thread that draws (what exactly is not visible from .NET; the floating-point control word is unchanged) after
/// which libtorch's CPU kernels on that thread gave different bits from call to call: generating the same seeds from
/// the same weights after a plot drawn on that thread differed in 2 of 2 processes, and in none of 3 with the plot
/// drawn here. (Training in a process still disturbs later tensor work in it; see docs/benchmarks.md, determinism.)
/// </summary>
public static class IsolatedThread
{
    public static void Run(Action work, string name)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = name };
        thread.Start();
        thread.Join();
        failure?.Throw();
    }
}

namespace Atelier.Training.Callbacks;

/// <summary>
/// Pushes the log to the file every two seconds, so that readers (tail -f, the Studio) follow, and tells the caller
/// where the run stands. Runs after the divergence guard: a step that was rolled back is never reported.
/// </summary>
public sealed class ProgressReport(Action<TrainingStatus>? progress) : ITrainingCallback
{
    private readonly System.Diagnostics.Stopwatch _flushClock = System.Diagnostics.Stopwatch.StartNew();

    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        if (_flushClock.Elapsed.TotalSeconds >= 2)
        {
            session.Metrics.Flush(durable: false);
            _flushClock.Restart();
        }
        progress?.Invoke(new TrainingStatus(session.Step, session.Options.Schedule.Steps, stats.LossD, stats.LossG, stats.RealScore, stats.FakeScore,
            session.ImagesPerSecond, session.Elapsed)
        { Reconstruction = stats.Reconstruction, Kl = stats.Kl });
    }
}

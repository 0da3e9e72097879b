using Atelier.Training.Log;

namespace Atelier.Training.Callbacks;

/// <summary>Writes each step's row to metrics.jsonl.</summary>
public sealed class MetricsRows : ITrainingCallback
{
    public void OnStepEnd(TrainingSession session, StepStats stats) =>
        session.Metrics.Write(TrainingEvents.Row(new StepRow(session.Step, stats.LossD, stats.LossG, stats.RealScore, stats.FakeScore,
            Math.Round(session.ImagesPerSecond, 1), Math.Round(session.Elapsed.TotalSeconds, 3),
            session.Options.Optimization.LearningRate * session.LearningRateScale, session.Augmentation.Logged)
        { Reconstruction = stats.Reconstruction, Kl = stats.Kl }));
}

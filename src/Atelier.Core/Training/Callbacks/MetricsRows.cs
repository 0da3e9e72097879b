namespace Atelier.Training.Callbacks;

/// <summary>Writes each step's row to metrics.jsonl.</summary>
public sealed class MetricsRows : ITrainingCallback
{
    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        session.Metrics.Write(new Dictionary<string, object?>
        {
            ["step"] = session.Step,
            ["lossD"] = stats.LossD,
            ["lossG"] = stats.LossG,
            ["dReal"] = stats.RealScore,
            ["dFake"] = stats.FakeScore,
            ["imgPerSec"] = Math.Round(session.ImagesPerSecond, 1),
            ["wallSec"] = Math.Round(session.Elapsed.TotalSeconds, 3),
            ["lr"] = session.Options.LearningRate * session.LearningRateScale,
            ["augmentP"] = session.Augmentation.Logged,
        });
    }
}

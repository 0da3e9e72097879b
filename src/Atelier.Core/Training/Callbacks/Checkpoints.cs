namespace Atelier.Training.Callbacks;

/// <summary>A checkpoint every CheckpointEvery steps (the loop writes the last one at the end).</summary>
public sealed class Checkpoints : ITrainingCallback
{
    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        var o = session.Options;
        if (o.Schedule.CheckpointEvery == 0 || session.Step % o.Schedule.CheckpointEvery != 0 || session.Step == o.Schedule.Steps) return;
        session.GcWindow.Close(); // its large buffers are collected outside the window
        session.Metrics.Flush();
        session.SaveCheckpoint();
    }
}

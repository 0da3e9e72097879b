namespace Atelier.Training.Callbacks;

/// <summary>A grid of the fixed seeds every SampleEvery steps, rendered from the step's checkpoint when there is one.</summary>
public sealed class SampleGrids : ITrainingCallback
{
    public void OnStepEnd(TrainingSession session, StepStats stats)
    {
        var o = session.Options;
        if (o.Schedule.SampleEvery == 0 || session.Step % o.Schedule.SampleEvery != 0) return;
        session.GcWindow.Close();
        session.WriteSamples(session.HasCheckpointAtStep ? session.Checkpoints.Latest() : null);
    }
}

namespace Atelier.Training.Callbacks;

/// <summary>
/// Work around the loop after each step: logging, the divergence guard, sample grids, checkpoints, evaluation. Callbacks
/// run in the order given; one that stops the run or rewinds it (<see cref="TrainingSession.Stop"/>, a rollback) ends
/// the step's callbacks there.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first step (after a resume, at the resumed step).</summary>
    void OnStart(TrainingSession session) { }

    void OnStepEnd(TrainingSession session, StepStats stats);
}
